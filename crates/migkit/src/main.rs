//! The `migkit` command.
fn main() {}
