// intentionally empty: this crate only pins vendored C sources
