//! The sidebar: each section's tree is built once per build. Templates get it two ways:
//! * `sidebar`, the items' HTML, from `sidebar-item.html` rendered once per node and build
//!   in its closed state; a page re-renders only the nodes on its path (current and open)
//!   and copies the rest. Evaluating a whole section's tree for every page was most of the
//!   template time at scale.
//! * `nav`, the tree itself, with current and open answered on lookup (for themes that
//!   write their own loop).

use crate::model::NavNode;
use crate::site::Site;
use minijinja::value::{Enumerator, Object, ObjectRepr};
use minijinja::{Error, Template, Value, context};
use std::collections::HashMap;
use std::sync::Arc;

/// One section's visible navigation, flattened.
#[derive(Debug, Default)]
pub(crate) struct NavTree {
    nodes: Vec<Entry>,
    roots: Vec<usize>,
    /// Nodes by page URL (without base path).
    by_url: HashMap<String, Vec<usize>>,
    /// Each node's HTML when neither it nor a descendant is the current page.
    closed: Vec<String>,
}

#[derive(Debug)]
struct Entry {
    title: Value,
    url: Value,
    external: bool,
    badge: Value,
    children: Vec<usize>,
    parent: Option<usize>,
}

impl NavTree {
    /// The tree of `nodes`, without those behind disabled feature flags.
    pub(crate) fn new(site: &Site, nodes: &[NavNode]) -> Self {
        let mut tree = Self::default();
        tree.roots = tree.add(site, nodes, None);
        tree
    }

    /// Bytes of the whole tree rendered closed: about a page's sidebar.
    pub(crate) fn closed_len(&self) -> usize {
        self.roots.iter().filter_map(|&r| self.closed.get(r)).map(String::len).sum()
    }

    fn add(&mut self, site: &Site, nodes: &[NavNode], parent: Option<usize>) -> Vec<usize> {
        let mut ids = Vec::new();
        for n in nodes.iter().filter(|n| n.feature_flag.as_deref().is_none_or(|f| site.config.flag_enabled(f))) {
            let id = self.nodes.len();
            let url = n.url.as_ref().map(|u| Value::from(if n.is_external() { u.clone() } else { site.href(u) })).unwrap_or_default();
            let (external, badge) = (n.is_external(), n.badge.clone().map(Value::from).unwrap_or_default());
            self.nodes.push(Entry { title: Value::from(n.title.as_str()), url, external, badge, children: Vec::new(), parent });
            if let Some(u) = &n.url {
                self.by_url.entry(u.clone()).or_default().push(id);
            }
            let children = self.add(site, &n.children, Some(id));
            self.nodes[id].children = children;
            ids.push(id);
        }
        ids
    }

    /// Renders every node's closed HTML with `item` (children before parents).
    pub(crate) fn render_closed(&mut self, item: &Template<'_, '_>) -> Result<(), Error> {
        self.closed = vec![String::new(); self.nodes.len()];
        for id in (0..self.nodes.len()).rev() {
            let children: String = self.nodes[id].children.iter().map(|&c| self.closed[c].as_str()).collect();
            self.closed[id] = self.item_html(item, id, false, false, children)?;
        }
        Ok(())
    }

    /// The tree seen from the page at `url`: nodes linking to it are current, they and their
    /// ancestors open.
    pub(crate) fn at(self: &Arc<Self>, url: &str) -> PageNav {
        let current = self.by_url.get(url).cloned().unwrap_or_default();
        let mut open = Vec::new();
        for &c in &current {
            let mut n = Some(c);
            while let Some(i) = n {
                open.push(i);
                n = self.nodes[i].parent;
            }
        }
        PageNav { tree: self.clone(), current, open }
    }

    fn item_html(&self, item: &Template<'_, '_>, id: usize, current: bool, open: bool, children: String) -> Result<String, Error> {
        let e = &self.nodes[id];
        item.render(context! {
            node => context! { title => e.title.clone(), url => e.url.clone(), external => e.external, badge => e.badge.clone(), current, open },
            children => Value::from_safe_string(children),
        })
    }
}

/// A section tree seen from one page.
#[derive(Debug)]
pub(crate) struct PageNav {
    tree: Arc<NavTree>,
    current: Vec<usize>,
    open: Vec<usize>,
}

impl PageNav {
    /// `sidebar`: the closed HTML, with the nodes on the page's path rendered again as
    /// current or open.
    pub(crate) fn sidebar(&self, item: &Template<'_, '_>) -> Result<String, Error> {
        let mut out = String::new();
        for &r in &self.tree.roots {
            self.push_html(&mut out, item, r)?;
        }
        Ok(out)
    }

    fn push_html(&self, out: &mut String, item: &Template<'_, '_>, id: usize) -> Result<(), Error> {
        if !self.open.contains(&id) {
            out.push_str(&self.tree.closed[id]);
            return Ok(());
        }
        let mut children = String::new();
        for &c in &self.tree.nodes[id].children {
            self.push_html(&mut children, item, c)?;
        }
        out.push_str(&self.tree.item_html(item, id, self.current.contains(&id), true, children)?);
        Ok(())
    }

    /// `nav`.
    pub(crate) fn view(self: Arc<Self>) -> Value {
        Value::from_object(List { page: self, items: None })
    }
}

/// A list of items: the roots (`None`) or a node's children.
#[derive(Debug)]
struct List {
    page: Arc<PageNav>,
    items: Option<usize>,
}

impl List {
    fn ids(&self) -> &[usize] {
        match self.items {
            Some(i) => &self.page.tree.nodes[i].children,
            None => &self.page.tree.roots,
        }
    }
}

impl Object for List {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let id = *self.ids().get(key.as_usize()?)?;
        Some(Value::from_object(Item { page: self.page.clone(), id }))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.ids().len())
    }
}

/// One node: `title`, `url` (none for a group label), `external`, `badge`, `current`, `open`,
/// `children`.
#[derive(Debug)]
struct Item {
    page: Arc<PageNav>,
    id: usize,
}

impl Object for Item {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let entry = &self.page.tree.nodes[self.id];
        Some(match key.as_str()? {
            "title" => entry.title.clone(),
            "url" => entry.url.clone(),
            "external" => Value::from(entry.external),
            "badge" => entry.badge.clone(),
            "current" => Value::from(self.page.current.contains(&self.id)),
            "open" => Value::from(self.page.open.contains(&self.id)),
            "children" => Value::from_object(List { page: self.page.clone(), items: Some(self.id) }),
            _ => return None,
        })
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(&["title", "url", "external", "badge", "current", "open", "children"])
    }
}
