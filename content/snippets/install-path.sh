cargo install --path .
vellum --version
