//! Home Office categories → the client groups that migration partnerships plan services for.
//!
//! The partnership's fact sheets are per client group (people seeking asylum by accommodation
//! type, resettled refugees by scheme, Afghans, Ukrainians, unaccompanied children), while the
//! Home Office tables each have their own categories. This module maps a tidy observation's
//! `(source, measure, group)` to a [`ClientGroup`] with a lookup that the project keeps in
//! `crates/migkit-harmonise/data/client_groups.csv` ([`CLIENT_GROUPS_CSV`], compiled in).
//!
//! # The groups
//!
//! ```text
//! asylum_seekers
//! ├── asylum_seekers_dispersal
//! ├── asylum_seekers_initial
//! ├── asylum_seekers_contingency          (Reg_02 publishes hotels and other together)
//! │   ├── asylum_seekers_contingency_hotel
//! │   └── asylum_seekers_contingency_other
//! ├── asylum_seekers_other_accommodation
//! └── asylum_seekers_subsistence_only
//! resettled_refugees
//! ├── resettled_vprs
//! ├── resettled_vcrs
//! ├── resettled_ukrs
//! ├── resettled_community_sponsorship
//! └── resettled_mandate
//! afghan_schemes                          (ARAP, ACRS pathways, Reg_02 Afghan programme)
//! homes_for_ukraine
//! uasc                                    (National Transfer Scheme transfers)
//! ```
//!
//! A count that the source does not break down as far as the leaves maps to the parent: Asy_D11
//! Section 98 figures before 2023 ("accommodation not recorded") and Reg_02's `supportedAsylum`
//! total map to `asylum_seekers`.
//!
//! # The lookup table
//!
//! `source,measure,group,client_group,note`, one rule a row, the first matching row wins:
//!
//! - `source`, `measure`, `group` are patterns compared case-insensitively, where `*` stands for
//!   any text (`*/dispersal` matches Asy_D11's `section_95/dispersal`, `Resettlement - ACRS*`
//!   every ACRS pathway). In `group`, an empty pattern matches only observations without a group
//!   (a measure's total) and `*` alone matches any group or none.
//! - `client_group` is a [`ClientGroup`] name, or `-` for measures that are known but are not a
//!   count of one client group (Reg_02's population denominator, its share of population and
//!   its sum of three groups): [`client_group`] gives `None` for them and [`is_classified`] true.
//!
//! ```
//! use migkit_harmonise::groups::client_groups::{ClientGroup, client_group};
//! let g = client_group("ho_asy_d11", "people_on_asylum_support", Some("section_95/contingency_hotel"));
//! assert_eq!(g, Some(ClientGroup::AsylumSeekersContingencyHotel));
//! assert_eq!(g.unwrap().parent(), Some(ClientGroup::AsylumSeekersContingency));
//! assert!(g.unwrap().is_within(ClientGroup::AsylumSeekers));
//! let acrs = client_group("ho_res_d01", "resettled_refugees", Some("Resettlement - ACRS Pathway 1"));
//! assert_eq!(acrs, Some(ClientGroup::AfghanSchemes));
//! assert_eq!(client_group("ho_reg02", "population", None), None);
//! ```

use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use migkit_core::{Error, Location, Result};

/// The lookup table written by this project: `source,measure,group,client_group,note`.
pub const CLIENT_GROUPS_CSV: &str = include_str!("../../data/client_groups.csv");

const CSV_PATH: &str = "crates/migkit-harmonise/data/client_groups.csv";

macro_rules! client_groups {
    ($($variant:ident => $name:literal, $parent:expr, $label:literal;)+) => {
        /// A group of migrants that services plan for, as the partnership's fact sheets use them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ClientGroup {
            $(
                #[doc = $label]
                $variant,
            )+
        }

        impl ClientGroup {
            /// Every group, parents before their children.
            pub const ALL: &'static [ClientGroup] = &[$(ClientGroup::$variant),+];

            /// The snake_case name (`"asylum_seekers_dispersal"`).
            pub fn as_str(self) -> &'static str {
                match self { $(ClientGroup::$variant => $name),+ }
            }

            /// The group this one is part of, if any.
            pub fn parent(self) -> Option<ClientGroup> {
                match self { $(ClientGroup::$variant => $parent),+ }
            }

            /// A plain-English description for fact sheets.
            pub fn label(self) -> &'static str {
                match self { $(ClientGroup::$variant => $label),+ }
            }
        }
    };
}

use ClientGroup as G;

client_groups! {
    AsylumSeekers => "asylum_seekers", None,
        "People seeking asylum who receive Home Office support";
    AsylumSeekersDispersal => "asylum_seekers_dispersal", Some(G::AsylumSeekers),
        "People seeking asylum housed in dispersal accommodation (longer-term flats and houses)";
    AsylumSeekersInitial => "asylum_seekers_initial", Some(G::AsylumSeekers),
        "People seeking asylum in initial accommodation (short stays on arrival)";
    AsylumSeekersContingency => "asylum_seekers_contingency", Some(G::AsylumSeekers),
        "People seeking asylum in contingency accommodation (hotels and other emergency housing)";
    AsylumSeekersContingencyHotel => "asylum_seekers_contingency_hotel", Some(G::AsylumSeekersContingency),
        "People seeking asylum housed in hotels";
    AsylumSeekersContingencyOther => "asylum_seekers_contingency_other", Some(G::AsylumSeekersContingency),
        "People seeking asylum in other contingency accommodation (large sites such as former barracks)";
    AsylumSeekersOtherAccommodation => "asylum_seekers_other_accommodation", Some(G::AsylumSeekers),
        "People seeking asylum in other Home Office accommodation";
    AsylumSeekersSubsistenceOnly => "asylum_seekers_subsistence_only", Some(G::AsylumSeekers),
        "People seeking asylum who receive cash support only and live with family or friends";
    ResettledRefugees => "resettled_refugees", None,
        "Refugees resettled to the UK through government schemes";
    ResettledVprs => "resettled_vprs", Some(G::ResettledRefugees),
        "Refugees resettled under the Vulnerable Persons Resettlement Scheme (mainly from Syria)";
    ResettledVcrs => "resettled_vcrs", Some(G::ResettledRefugees),
        "Refugees resettled under the Vulnerable Children Resettlement Scheme";
    ResettledUkrs => "resettled_ukrs", Some(G::ResettledRefugees),
        "Refugees resettled under the UK Resettlement Scheme";
    ResettledCommunitySponsorship => "resettled_community_sponsorship", Some(G::ResettledRefugees),
        "Refugees resettled with the support of community sponsorship groups";
    ResettledMandate => "resettled_mandate", Some(G::ResettledRefugees),
        "Refugees resettled under the Mandate Scheme to join family in the UK";
    AfghanSchemes => "afghan_schemes", None,
        "Afghans relocated or resettled under ARAP and ACRS";
    HomesForUkraine => "homes_for_ukraine", None,
        "People from Ukraine who arrived under Homes for Ukraine (sponsored by UK hosts)";
    Uasc => "uasc", None,
        "Unaccompanied children seeking asylum (transfers between councils under the National Transfer Scheme)";
}

impl ClientGroup {
    /// True if this group is `ancestor` or lies within it.
    pub fn is_within(self, ancestor: ClientGroup) -> bool {
        let mut g = Some(self);
        while let Some(current) = g {
            if current == ancestor {
                return true;
            }
            g = current.parent();
        }
        false
    }

    /// The groups whose parent is this one.
    pub fn children(self) -> Vec<ClientGroup> {
        Self::ALL
            .iter()
            .copied()
            .filter(|g| g.parent() == Some(self))
            .collect()
    }
}

impl fmt::Display for ClientGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ClientGroup {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let t = s.trim();
        Self::ALL
            .iter()
            .copied()
            .find(|g| g.as_str() == t)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|g| g.as_str()).collect();
                Error::parameter(
                    "client_group",
                    format!("{s:?} is not one of: {}", names.join(", ")),
                )
            })
    }
}

/// One row of the lookup table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// The 1-based row of the table (the header is row 1).
    pub row: u64,
    /// Source pattern (`*` = any text).
    pub source: String,
    /// Measure pattern.
    pub measure: String,
    /// Group pattern: empty = no group, `*` = any group or none.
    pub group: String,
    /// The client group, or `None` for a measure that is known not to count one client group.
    pub client_group: Option<ClientGroup>,
    /// Why the rule exists.
    pub note: String,
}

impl Rule {
    /// True if the rule applies to an observation's source, measure and group.
    pub fn matches(&self, source: &str, measure: &str, group: Option<&str>) -> bool {
        let group_ok = match (self.group.as_str(), group) {
            ("*", _) => true,
            ("", None) => true,
            ("", Some(_)) | (_, None) => false,
            (pattern, Some(g)) => glob(pattern, g),
        };
        group_ok && glob(&self.source, source) && glob(&self.measure, measure)
    }
}

/// Case-insensitive match of `text` against a pattern in which `*` stands for any text.
fn glob(pattern: &str, text: &str) -> bool {
    let pattern = pattern.to_lowercase();
    let text = text.trim().to_lowercase();
    let pieces: Vec<&str> = pattern.split('*').collect();
    if pieces.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (pieces[0], pieces[pieces.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for piece in &pieces[1..pieces.len() - 1] {
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    true
}

/// Parses a lookup table in the format of [`CLIENT_GROUPS_CSV`].
///
/// # Errors
/// An [`Error::Input`] naming the row and column of a malformed row or an unknown client group.
pub fn parse_rules(text: &str) -> Result<Vec<Rule>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| {
            Error::input(
                Location::file(CSV_PATH).row(1),
                format!("cannot read the header: {e}"),
            )
        })?
        .iter()
        .map(str::to_string)
        .collect();
    let expected = ["source", "measure", "group", "client_group", "note"];
    if header != expected {
        return Err(Error::input(
            Location::file(CSV_PATH).row(1),
            format!(
                "the header must be {}, found {}",
                expected.join(","),
                header.join(",")
            ),
        ));
    }
    let mut rules = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let row = i as u64 + 2;
        let at = || Location::file(CSV_PATH).row(row);
        let rec = rec.map_err(|e| Error::input(at(), format!("malformed row: {e}")))?;
        let field = |k: usize| rec.get(k).unwrap_or("").trim().to_string();
        let (source, measure, group, name) = (field(0), field(1), field(2), field(3));
        if source.is_empty() || measure.is_empty() {
            return Err(Error::input(
                at(),
                "source and measure patterns must not be empty",
            ));
        }
        let client_group = match name.as_str() {
            "-" => None,
            _ => Some(
                name.parse::<ClientGroup>()
                    .map_err(|e| Error::input(at().column("client_group"), e.to_string()))?,
            ),
        };
        rules.push(Rule {
            row,
            source,
            measure,
            group,
            client_group,
            note: field(4),
        });
    }
    Ok(rules)
}

static RULES: LazyLock<std::result::Result<Vec<Rule>, String>> =
    LazyLock::new(|| parse_rules(CLIENT_GROUPS_CSV).map_err(|e| e.to_string()));

/// The rules of the project's lookup table, in order.
///
/// # Errors
/// If the compiled-in table is malformed (the crate's tests rule this out).
pub fn rules() -> Result<&'static [Rule]> {
    RULES
        .as_ref()
        .map(Vec::as_slice)
        .map_err(|msg| Error::input(Location::file(CSV_PATH), msg.clone()))
}

/// The first rule that applies to an observation, if any.
pub fn rule_for(source: &str, measure: &str, group: Option<&str>) -> Option<&'static Rule> {
    rules()
        .ok()?
        .iter()
        .find(|r| r.matches(source, measure, group))
}

/// The client group an observation counts, from its `source` (reader id), `measure` and `group`.
///
/// `None` if no rule applies or the rule says the measure is not a count of one client group
/// (use [`is_classified`] to tell these apart).
pub fn client_group(source: &str, measure: &str, group: Option<&str>) -> Option<ClientGroup> {
    rule_for(source, measure, group)?.client_group
}

/// True if the lookup has a rule for the observation (including rules that say "not a client
/// group"); false means the table needs a new row.
pub fn is_classified(source: &str, measure: &str, group: Option<&str>) -> bool {
    rule_for(source, measure, group).is_some()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::source::Reader;
    use crate::sources::{ho_asy_d11, ho_nts01, ho_reg02, ho_res_d01};
    use crate::testing::read_checked;

    #[test]
    fn table_parses_and_every_group_is_used_or_a_parent() {
        let rules = rules().unwrap();
        assert!(rules.len() > 20);
        for g in ClientGroup::ALL {
            assert_eq!(g.as_str().parse::<ClientGroup>().unwrap(), *g);
            assert!(!g.label().is_empty());
            let used = rules.iter().any(|r| r.client_group == Some(*g));
            assert!(
                used || !g.children().is_empty() || *g == ClientGroup::ResettledRefugees,
                "{g} unused"
            );
            // Parents come before children in ALL.
            if let Some(p) = g.parent() {
                let pos = |x: ClientGroup| ClientGroup::ALL.iter().position(|y| *y == x).unwrap();
                assert!(pos(p) < pos(*g));
            }
        }
        assert_eq!(ClientGroup::AsylumSeekers.children().len(), 5);
        assert!(!ClientGroup::Uasc.is_within(ClientGroup::AsylumSeekers));
        assert!(
            "refugees"
                .parse::<ClientGroup>()
                .unwrap_err()
                .to_string()
                .contains("asylum_seekers_dispersal")
        );
    }

    #[test]
    fn spot_checks() {
        let cases = [
            (
                "ho_res_d01",
                "resettled_refugees",
                Some("Resettlement - ACRS Pathway 1"),
                Some(G::AfghanSchemes),
            ),
            (
                "ho_res_d01",
                "resettled_refugees",
                Some("Resettlement - ACRS Pathway 2 - Community Sponsorship Scheme"),
                Some(G::AfghanSchemes),
            ),
            (
                "ho_res_d01",
                "resettled_refugees",
                Some("Relocation - ARAP"),
                Some(G::AfghanSchemes),
            ),
            (
                "ho_res_d01",
                "resettled_refugees",
                Some("Resettlement - Afghan route not recorded"),
                Some(G::AfghanSchemes),
            ),
            (
                "ho_res_d01",
                "resettled_refugees",
                Some("Vulnerable Persons Resettlement Scheme"),
                Some(G::ResettledVprs),
            ),
            (
                "ho_res_d01",
                "resettled_refugees",
                Some("UK Resettlement Scheme - Community Sponsorship Scheme"),
                Some(G::ResettledCommunitySponsorship),
            ),
            (
                "ho_res_d01",
                "resettled_refugees",
                Some("UK Resettlement Scheme"),
                Some(G::ResettledUkrs),
            ),
            (
                "ho_res_d01",
                "resettled_refugees",
                Some("Some New Scheme"),
                Some(G::ResettledRefugees),
            ),
            (
                "ho_asy_d11",
                "people_on_asylum_support",
                Some("section_98/not_recorded"),
                Some(G::AsylumSeekers),
            ),
            (
                "ho_asy_d11",
                "people_on_asylum_support",
                Some("section_4/other"),
                Some(G::AsylumSeekersOtherAccommodation),
            ),
            (
                "ho_asy_d11",
                "people_on_asylum_support",
                Some("SECTION_95/Subsistence_Only"),
                Some(G::AsylumSeekersSubsistenceOnly),
            ),
            (
                "ho_reg02",
                "people_on_asylum_support",
                None,
                Some(G::AsylumSeekers),
            ),
            (
                "ho_reg02",
                "people_on_asylum_support",
                Some("contingency"),
                Some(G::AsylumSeekersContingency),
            ),
            (
                "ho_reg02",
                "afghan_programme_population",
                Some("prs_housing"),
                Some(G::AfghanSchemes),
            ),
            (
                "ho_reg02",
                "homes_for_ukraine_arrivals",
                None,
                Some(G::HomesForUkraine),
            ),
            (
                "ho_nts01",
                "uasc_transfers_in_from_port",
                None,
                Some(G::Uasc),
            ),
            ("ho_reg02", "share_of_population", None, None),
        ];
        for (source, measure, group, expected) in cases {
            assert_eq!(
                client_group(source, measure, group),
                expected,
                "{source} {measure} {group:?}"
            );
        }
        assert!(is_classified("ho_reg02", "population", None));
        assert!(!is_classified("ho_reg02", "nonsense", None));
        assert!(!is_classified("ons_mye", "population", None));
        // Reg_02's people_on_asylum_support total matches only the empty-group rule.
        assert!(!is_classified(
            "ho_reg02",
            "people_on_asylum_support",
            Some("caravans")
        ));
    }

    #[test]
    fn glob_patterns() {
        assert!(glob("*/dispersal", "section_95/dispersal"));
        assert!(!glob("*/dispersal", "section_95/dispersal_x"));
        assert!(glob(
            "Resettlement - ACRS*",
            "resettlement - acrs pathway 3 - communities for afghans"
        ));
        assert!(glob("*ARAP*", "Relocation - ARAP"));
        assert!(glob("a*b*c", "axxbyyc") && !glob("a*b*c", "axxc") && !glob("ab*ba", "aba"));
        assert!(glob("exact", " Exact "));
    }

    #[test]
    fn bad_tables_name_the_row() {
        let err =
            parse_rules("source,measure,group,client_group,note\nho_x,m,,refugees_in_general,n\n")
                .unwrap_err()
                .to_string();
        assert!(
            err.contains("client_groups.csv")
                && err.contains("row 2")
                && err.contains("column \"client_group\""),
            "{err}"
        );
        let err = parse_rules("source,measure,group\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("row 1") && err.contains("header"), "{err}");
        let err = parse_rules("source,measure,group,client_group,note\n,m,,uasc,n\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("row 2"), "{err}");
    }

    /// Every (source, measure, group) the four Home Office readers emit on the real files classifies.
    #[test]
    fn every_home_office_observation_classifies() {
        let files: [(&dyn Reader, &str); 4] = [
            (
                &ho_asy_d11::AsyD11Reader,
                "ho-asylum-support-by-la-asy-d11/asy_d11_asylum_support_by_la_2014q1_2024q3.csv",
            ),
            (
                &ho_res_d01::ResD01Reader,
                "ho-resettlement-by-la-res-d01/res_d01_resettlement_by_la_2014q1_2024q3.csv",
            ),
            (
                &ho_reg02::Reg02Reader,
                "ho-immigration-groups-by-la-reg02-dec2025/reg02_immigration_groups_by_la_2025-12-31_extracted.csv",
            ),
            (
                &ho_nts01::Nts01Reader,
                "ho-uasc-national-transfer-scheme-by-la-nts01/nts01_uasc_transfers_by_la_2016q3_2023q3.csv",
            ),
        ];
        let not_client_groups = [
            "population",
            "share_of_population",
            "all_three_pathways_total",
        ];
        let mut failures = Vec::new();
        let mut seen = BTreeSet::new();
        for (reader, file) in files {
            let out = read_checked(reader, file);
            let source = out.observations.source.clone();
            for o in &out.observations.observations {
                seen.insert((source.clone(), o.measure.clone(), o.group.clone()));
            }
        }
        for (source, measure, group) in &seen {
            let g = client_group(source, measure, group.as_deref());
            let ok = if not_client_groups.contains(&measure.as_str()) {
                g.is_none() && is_classified(source, measure, group.as_deref())
            } else {
                g.is_some()
            };
            if !ok {
                failures.push(format!("{source} {measure} {group:?} -> {g:?}"));
            }
        }
        assert!(failures.is_empty(), "unclassified: {failures:#?}");
        // The leaves that the readers can fill are all reached.
        let reached: BTreeSet<ClientGroup> = seen
            .iter()
            .filter_map(|(s, m, g)| client_group(s, m, g.as_deref()))
            .collect();
        for g in ClientGroup::ALL {
            assert!(
                reached.contains(g) || *g == ClientGroup::ResettledRefugees,
                "{g} never reached"
            );
        }
    }
}
