//! The MCP face of the core: tool argument types (with their JSON schemas), the tool and
//! resource handlers, and the server description agents read at `initialize`.
//! Architecture invariant: handlers only translate — arguments in, [`Docs`] call, text out.
//! A bad argument is a tool error (`isError: true`) the agent can read and fix; only an
//! unroutable request (unknown tool, bad cursor, unknown resource) is a protocol error.

use super::api::{DEFAULT_CHANGELOG_LIMIT, DEFAULT_SEARCH_LIMIT, Docs, DocsError, MAX_CHANGELOG_LIMIT, MAX_SEARCH_LIMIT};
use super::text;
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::tool::ToolCallContext;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation, ListResourceTemplatesResult,
    ListResourcesResult, PaginatedRequestParams, ReadResourceRequestParams, ReadResourceResponse, ReadResourceResult, Resource,
    ResourceContents, ResourceTemplate, ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, schemars, tool, tool_handler, tool_router};
use serde::Deserialize;
use std::sync::Arc;

/// Resources per `resources/list` page.
const RESOURCE_PAGE: usize = 100;
/// Scheme of page resources: `docs://sso/test-sso`.
const SCHEME: &str = "docs://";

/// Arguments of `search_docs`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    /// Words to look for: a topic, an API name or an error message, e.g. "test sso" or
    /// "createOrganization".
    #[schemars(length(min = 1, max = 2048))]
    pub query: String,
    /// Number of results, 1 to 50 (default 10).
    #[schemars(range(min = 1, max = 50))]
    pub limit: Option<i64>,
}

/// Arguments of `read_doc`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadParams {
    /// Page path as returned by search_docs or list_docs, e.g. "/sso/test-sso". Also
    /// accepted: no leading slash, a `.md` or `.html` suffix, a trailing slash, a
    /// "#section" anchor, a full URL of the site, or a docs:// resource URI.
    #[schemars(length(min = 1, max = 2048))]
    pub path: String,
}

/// Arguments of `list_docs`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// A section folder (e.g. "sso"), section title or page path whose children to list.
    /// Omit it to list the top-level sections.
    #[schemars(length(max = 2048))]
    pub path: Option<String>,
}

/// Arguments of `get_changelog`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangelogParams {
    /// Number of entries, 1 to 500 (default 20).
    #[schemars(range(min = 1, max = 500))]
    pub limit: Option<i64>,
    /// Only entries on or after this date, written YYYY-MM-DD.
    #[schemars(pattern(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    pub since: Option<String>,
}

/// The MCP server over one compiled site.
#[derive(Clone)]
pub struct DocsServer {
    docs: Arc<Docs>,
    info: ServerConfig,
    tool_router: ToolRouter<Self>,
}

fn result(r: Result<String, DocsError>) -> CallToolResult {
    match r {
        Ok(t) => CallToolResult::success(vec![ContentBlock::text(t)]),
        Err(e) => CallToolResult::error(vec![ContentBlock::text(text::error(&e))]),
    }
}

#[tool_router]
impl DocsServer {
    /// A server answering from `docs`.
    pub fn new(docs: Arc<Docs>) -> Self {
        let cfg = &docs.site().config;
        let info = ServerConfig::new(ServerCapabilities::builder().enable_tools().enable_resources().build())
            .with_server_info(
                Implementation::new("vellum", env!("CARGO_PKG_VERSION")).with_title(format!("{} (vellum docs server)", cfg.title)),
            )
            .with_instructions(instructions(&cfg.title, cfg.changelog.is_some() || !docs.site().changelog.is_empty()));
        Self { docs, info, tool_router: Self::tool_router() }
    }

    #[tool(
        description = "Search the documentation. Returns ranked page sections, best first: title, section heading, path and a text snippet. Then call read_doc with a result's path to read the page.",
        annotations(title = "Search docs", read_only_hint = true, open_world_hint = false)
    )]
    fn search_docs(&self, Parameters(p): Parameters<SearchParams>) -> CallToolResult {
        let hits = self.docs.search(&p.query, p.limit);
        let structured = hits.as_ref().ok().map(|h| serde_json::json!({ "hits": h }));
        let mut r = result(hits.map(|h| text::search(&p.query, &h)));
        r.structured_content = structured;
        r
    }

    #[tool(
        description = "Read one documentation page as Markdown, followed by navigation hints (section, parent, previous/next, siblings, children). With a #anchor the whole page is returned and the requested section is named. An unknown path returns the closest pages.",
        annotations(title = "Read a docs page", read_only_hint = true, open_world_hint = false)
    )]
    fn read_doc(&self, Parameters(p): Parameters<ReadParams>) -> CallToolResult {
        result(self.docs.read(&p.path).map(|r| text::read(&r)))
    }

    #[tool(
        description = "Browse the documentation's navigation. Without a path: the top-level sections with their folders, first pages and page counts. With a section folder (e.g. \"sso\") or a page path: the pages below it, as a tree.",
        annotations(title = "Browse docs", read_only_hint = true, open_world_hint = false)
    )]
    fn list_docs(&self, Parameters(p): Parameters<ListParams>) -> CallToolResult {
        result(self.docs.list(p.path.as_deref()).map(|l| text::listing(&l)))
    }

    #[tool(
        description = "Product changelog entries, newest first: date, title, changes and link. Filter with since (YYYY-MM-DD) and limit.",
        annotations(title = "Changelog", read_only_hint = true, open_world_hint = false)
    )]
    fn get_changelog(&self, Parameters(p): Parameters<ChangelogParams>) -> CallToolResult {
        let since = p.since.as_deref().map(str::trim).filter(|s| !s.is_empty());
        result(self.docs.changelog(p.limit, since).map(|e| text::changelog(&e, since)))
    }
}

fn instructions(title: &str, changelog: bool) -> String {
    let mut s = format!(
        "This server answers from the documentation site \"{title}\", compiled by vellum. To answer a question: call search_docs with a few keywords, \
         then read_doc with the path of the best result (e.g. \"/sso/test-sso\"; a \"#anchor\" names a section). \
         read_doc ends with navigation hints (parent, siblings, children, previous/next) to follow. \
         To explore a topic: list_docs without arguments lists the sections; list_docs with a folder such as \"sso\" \
         lists its pages. Every page is also a resource docs://<path> (text/markdown)."
    );
    if changelog {
        s.push_str(" For recent product changes, call get_changelog (optionally with since=YYYY-MM-DD).");
    }
    s.push_str(&format!(" Limits: search_docs 1-{MAX_SEARCH_LIMIT} results (default {DEFAULT_SEARCH_LIMIT}); get_changelog 1-{MAX_CHANGELOG_LIMIT} (default {DEFAULT_CHANGELOG_LIMIT}); results are capped at 60 KB."));
    s
}

/// `docs://sso/test-sso` for `/sso/test-sso`; the home page is `docs://index`.
pub fn resource_uri(url: &str) -> String {
    if url == "/" { format!("{SCHEME}index") } else { format!("{SCHEME}{}", url.trim_start_matches('/')) }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for DocsServer {
    fn get_info(&self) -> ServerConfig {
        self.info.clone()
    }

    async fn call_tool(&self, request: CallToolRequestParams, context: RequestContext<RoleServer>) -> Result<CallToolResponse, ErrorData> {
        if !self.tool_router.has_route(&request.name) {
            let known: Vec<String> = self.tool_router.list_all().into_iter().map(|t| t.name.to_string()).collect();
            let name: String = request.name.chars().take(100).collect();
            return Err(ErrorData::invalid_params(format!("unknown tool `{name}`; this server's tools are {}", known.join(", ")), None));
        }
        self.tool_router.call(ToolCallContext::new(self, request, context)).await
    }

    async fn list_resources(
        &self,
        request: Option<PaginatedRequestParams>,
        _: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        let start = match request.and_then(|r| r.cursor) {
            None => 0,
            Some(c) => c.parse::<usize>().map_err(|_| {
                ErrorData::invalid_params(
                    format!("invalid cursor {:?}; pass the nextCursor of the previous page", c.chars().take(40).collect::<String>()),
                    None,
                )
            })?,
        };
        let pages: Vec<_> = self.docs.visible_pages().skip(start).take(RESOURCE_PAGE + 1).collect();
        let more = pages.len() > RESOURCE_PAGE;
        let resources = pages
            .into_iter()
            .take(RESOURCE_PAGE)
            .map(|p| {
                let r = Resource::new(resource_uri(&p.url), p.url.clone()).with_title(p.title.clone()).with_mime_type("text/markdown");
                match &p.description {
                    Some(d) => r.with_description(d.clone()),
                    None => r,
                }
            })
            .collect();
        let mut out = ListResourcesResult::with_all_items(resources);
        out.next_cursor = more.then(|| (start + RESOURCE_PAGE).to_string());
        Ok(out)
    }

    async fn list_resource_templates(
        &self,
        _: Option<PaginatedRequestParams>,
        _: RequestContext<RoleServer>,
    ) -> Result<ListResourceTemplatesResult, ErrorData> {
        let t = ResourceTemplate::new(format!("{SCHEME}{{path}}"), "page")
            .with_title("A documentation page")
            .with_description("Any page path, e.g. docs://sso/test-sso")
            .with_mime_type("text/markdown");
        Ok(ListResourceTemplatesResult::with_all_items(vec![t]))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        let uri = request.uri;
        if !uri.starts_with(SCHEME) {
            return Err(ErrorData::invalid_params(format!("resource URIs of this server start with {SCHEME}, e.g. docs://index"), None));
        }
        match self.docs.markdown(&uri) {
            Ok(md) => Ok(ReadResourceResult::new(vec![ResourceContents::text(md, uri).with_mime_type("text/markdown")]).into()),
            Err(e) => {
                let data = match &e {
                    DocsError::NotFound { suggestions, .. } => Some(
                        serde_json::json!({ "uri": uri, "suggestions": suggestions.iter().map(|(p, _)| resource_uri(p)).collect::<Vec<_>>() }),
                    ),
                    _ => None,
                };
                Err(ErrorData::resource_not_found(text::error(&e), data))
            }
        }
    }
}
