//! Classifications the partnerships use: countries into groups, Home Office categories into client groups.

pub mod client_groups;
pub mod countries;

/// Home Office categories (accommodation types, schemes, routes) into the client groups services plan for.
pub use client_groups::{ClientGroup, client_group};
/// Countries of birth and nationalities into groups (EU14, EU8, EU2, world regions).
pub use countries::{CountryGroup, country_group, country_groups};
