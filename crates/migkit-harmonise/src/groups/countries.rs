//! Countries of birth and nationalities into the groups migration partnerships report on.
//!
//! The groups are those of UK migration analysis: the UK; the EU in its accession waves (EU14,
//! EU8, EU2, other EU/EEA); non-EU countries by world region. The lookup is the project's own
//! small table `data/countries.csv` (`name, group, kind, note`), compiled into the crate. It holds
//! 243 country and territory names and 103 other spellings (`kind` = `country` or
//! `alias`) and every category label of Census 2021 table TS012 (`kind` = `ts012`, see
//! [`crate::sources::census_ts012`]).
//!
//! # Groups
//!
//! | group | members |
//! |---|---|
//! | `uk` | England, Wales, Scotland, Northern Ireland, UK n.o.s. |
//! | `eu14` | the 14 EU members before 2004 other than the UK: Austria, Belgium, Denmark, Finland, France, Germany, Greece, **Ireland**, Italy, Luxembourg, Netherlands, Portugal, Spain, Sweden |
//! | `eu8` | joined May 2004: Czechia, Estonia, Hungary, Latvia, Lithuania, Poland, Slovakia, Slovenia |
//! | `eu2` | joined January 2007: Bulgaria, Romania |
//! | `eu_accession_other` | a source's undivided "other 2004–2007 accession countries" (TS012's *other EU countries*: Bulgaria, Cyprus, Czechia, Estonia, Hungary, Latvia, Malta, Slovakia, Slovenia); no country name maps here |
//! | `other_eu_eea` | Cyprus, Malta (joined 2004), Croatia (2013), Iceland, Liechtenstein, Norway (EEA), Switzerland (EFTA, not EEA, but grouped here as is usual) |
//! | `non_eu_europe` | rest of Europe: Turkey, Ukraine, Russia, Albania, the western Balkans, Belarus, Moldova, the Caucasus, Crown Dependencies, Gibraltar |
//! | `middle_east` | Iran, Iraq, Syria, Israel, Palestine, Jordan, Lebanon, the Gulf states, Yemen |
//! | `south_asia` | India, Pakistan, Bangladesh, Sri Lanka, Nepal, Bhutan, Maldives, Afghanistan (as TS012 places it) |
//! | `east_asia` | East, South-East **and Central** Asia (China, Hong Kong, Japan, Korea, Philippines, Malaysia, Vietnam, Kazakhstan ...), as TS012 allows |
//! | `africa` | all of Africa, North Africa included |
//! | `americas_caribbean` | North, Central and South America and the Caribbean |
//! | `oceania` | Australasia, the Pacific and Antarctica |
//! | `other` | stateless, refugee, unknown, not stated, TS012's residual "other" |
//!
//! Ireland is kept in `eu14` (not a group of its own): the TS012 label for Ireland and the
//! country name remain available for a separate figure.
//!
//! # TS012 labels that span several groups
//!
//! Parent categories such as `europe` or `middle_east_and_asia` cover several groups, and
//! TS012's *rest of Europe: other Europe* includes Norway, Iceland, Liechtenstein and Switzerland
//! without separating them (it is classed `non_eu_europe`; they are few). [`country_group`]
//! returns `None` for a label that spans several groups; [`country_groups`] lists them.
//!
//! ```
//! use migkit_harmonise::groups::countries::{country_group, country_groups, CountryGroup};
//! assert_eq!(country_group("Czech Republic"), Some(CountryGroup::Eu8));
//! assert_eq!(country_group("  POLAND "), Some(CountryGroup::Eu8));
//! assert_eq!(country_group("Côte d'Ivoire"), Some(CountryGroup::Africa));
//! assert_eq!(country_group("middle_east_and_asia_southern_asia_pakistan"), Some(CountryGroup::SouthAsia));
//! assert_eq!(country_group("europe"), None);
//! assert_eq!(country_groups("middle_east_and_asia").map(<[_]>::len), Some(3));
//! assert_eq!(country_group("Atlantis"), None);
//! ```

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use migkit_core::{Error, Result};
use serde::{Deserialize, Serialize};

/// The lookup table, as shipped in the crate (`data/countries.csv`).
pub const COUNTRIES_CSV: &str = include_str!("../../data/countries.csv");

/// A group of countries of birth or nationalities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountryGroup {
    /// United Kingdom.
    Uk,
    /// The 14 pre-2004 EU members other than the UK (Ireland included).
    Eu14,
    /// The eight central and eastern European countries that joined the EU in 2004.
    Eu8,
    /// Bulgaria and Romania (joined 2007).
    Eu2,
    /// 2004–2007 accession countries that a source does not separate (TS012 "other EU countries").
    EuAccessionOther,
    /// Cyprus, Malta, Croatia, Iceland, Liechtenstein, Norway, Switzerland.
    OtherEuEea,
    /// European countries outside the EU and EEA.
    NonEuEurope,
    /// The Middle East.
    MiddleEast,
    /// South Asia (Afghanistan included).
    SouthAsia,
    /// East, South-East and Central Asia.
    EastAsia,
    /// Africa.
    Africa,
    /// The Americas and the Caribbean.
    AmericasCaribbean,
    /// Oceania and Antarctica.
    Oceania,
    /// Stateless, unknown, not stated, residual categories.
    Other,
}

impl CountryGroup {
    /// Every group, in the order of the table in the module docs.
    pub const ALL: &'static [CountryGroup] = &[
        Self::Uk,
        Self::Eu14,
        Self::Eu8,
        Self::Eu2,
        Self::EuAccessionOther,
        Self::OtherEuEea,
        Self::NonEuEurope,
        Self::MiddleEast,
        Self::SouthAsia,
        Self::EastAsia,
        Self::Africa,
        Self::AmericasCaribbean,
        Self::Oceania,
        Self::Other,
    ];

    /// The snake_case name used in tables, e.g. `"eu8"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Uk => "uk",
            Self::Eu14 => "eu14",
            Self::Eu8 => "eu8",
            Self::Eu2 => "eu2",
            Self::EuAccessionOther => "eu_accession_other",
            Self::OtherEuEea => "other_eu_eea",
            Self::NonEuEurope => "non_eu_europe",
            Self::MiddleEast => "middle_east",
            Self::SouthAsia => "south_asia",
            Self::EastAsia => "east_asia",
            Self::Africa => "africa",
            Self::AmericasCaribbean => "americas_caribbean",
            Self::Oceania => "oceania",
            Self::Other => "other",
        }
    }

    /// A label for charts and fact sheets, e.g. `"EU8"`, `"Middle East"`.
    pub fn label(self) -> &'static str {
        match self {
            Self::Uk => "United Kingdom",
            Self::Eu14 => "EU14",
            Self::Eu8 => "EU8",
            Self::Eu2 => "EU2",
            Self::EuAccessionOther => "EU8/EU2/other (not separable)",
            Self::OtherEuEea => "Other EU/EEA and Switzerland",
            Self::NonEuEurope => "Non-EU Europe",
            Self::MiddleEast => "Middle East",
            Self::SouthAsia => "South Asia",
            Self::EastAsia => "East, South-East and Central Asia",
            Self::Africa => "Africa",
            Self::AmericasCaribbean => "Americas and the Caribbean",
            Self::Oceania => "Oceania",
            Self::Other => "Other, stateless or unknown",
        }
    }

    /// True for groups of EU, EEA and Swiss countries (EU14, EU8, EU2, the undivided accession
    /// group and other EU/EEA).
    pub fn is_eu_eea(self) -> bool {
        matches!(
            self,
            Self::Eu14 | Self::Eu8 | Self::Eu2 | Self::EuAccessionOther | Self::OtherEuEea
        )
    }
}

impl fmt::Display for CountryGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CountryGroup {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|g| g.as_str() == s.trim())
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|g| g.as_str()).collect();
                Error::parameter(
                    "CountryGroup",
                    format!("{s:?} is not one of: {}", names.join(", ")),
                )
            })
    }
}

/// The group of a country name, nationality or TS012 category label.
///
/// Tolerant of case, accents, punctuation and word separators ("Czech Republic", "czech_republic",
/// "Côte d'Ivoire"), of raw Nomis headers ("Country of birth: Europe: United Kingdom: England;
/// measures: Value") and of labels cleaned differently from TS012's own (a label is matched by its
/// final country name, by the longest known TS012 category it starts with, or by the distinctive
/// part of a TS012 category it contains, e.g. `..._member_countries_in_march_2001_...` → EU14).
///
/// Returns `None` for an unknown name and for a label that spans several groups (see
/// [`country_groups`]).
pub fn country_group(name_or_label: &str) -> Option<CountryGroup> {
    match country_groups(name_or_label) {
        Some([one]) => Some(*one),
        _ => None,
    }
}

/// Every group a name or label covers: one for a country, several for a TS012 parent category
/// such as `europe`; `None` if unknown.
pub fn country_groups(name_or_label: &str) -> Option<&'static [CountryGroup]> {
    LOOKUP.find(&normalise(name_or_label))
}

/// The lookup key of a name: accents folded, lower case, `&` as "and", apostrophes dropped,
/// every other run of non-alphanumeric characters as one `_`.
///
/// ```
/// use migkit_harmonise::groups::countries::normalise;
/// assert_eq!(normalise("Côte d'Ivoire"), "cote_divoire");
/// assert_eq!(normalise(" Trinidad & Tobago "), "trinidad_and_tobago");
/// ```
pub fn normalise(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut gap = false;
    for c in name.chars().flat_map(char::to_lowercase) {
        let c = fold(c);
        if c == '\'' || c == '\u{2019}' {
            continue;
        }
        if c == '&' {
            out.push_str(if out.is_empty() { "and" } else { "_and" });
            gap = true;
            continue;
        }
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('_');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
    }
    out
}

fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        _ => c,
    }
}

/// One row of `data/countries.csv`.
#[derive(Debug, Deserialize)]
struct Row {
    name: String,
    group: String,
    kind: String,
    #[allow(dead_code)]
    note: String,
}

#[derive(Debug, Default)]
struct Lookup {
    /// Country names and aliases.
    names: HashMap<String, Box<[CountryGroup]>>,
    /// TS012 category labels.
    labels: HashMap<String, Box<[CountryGroup]>>,
    /// The part of each single-group TS012 label below its parent (two words or more), longest first.
    own_parts: Vec<(String, CountryGroup)>,
}

static LOOKUP: LazyLock<Lookup> =
    LazyLock::new(|| Lookup::parse(COUNTRIES_CSV).expect("data/countries.csv is valid"));

impl Lookup {
    fn parse(text: &str) -> Result<Self> {
        let mut lookup = Lookup::default();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        for (i, rec) in reader.deserialize::<Row>().enumerate() {
            let row = i + 2;
            let rec =
                rec.map_err(|e| Error::parameter("countries.csv", format!("row {row}: {e}")))?;
            let groups = rec
                .group
                .split('|')
                .map(str::parse)
                .collect::<Result<Box<[CountryGroup]>>>()?;
            let key = normalise(&rec.name);
            let map = match rec.kind.as_str() {
                "country" | "alias" => &mut lookup.names,
                "ts012" => &mut lookup.labels,
                other => {
                    return Err(Error::parameter(
                        "countries.csv",
                        format!("row {row}: kind {other:?} is not country, alias or ts012"),
                    ));
                }
            };
            if let Some(previous) = map.insert(key.clone(), groups) {
                return Err(Error::parameter(
                    "countries.csv",
                    format!("row {row}: {key:?} is listed twice (also as {previous:?})"),
                ));
            }
        }
        // Distinctive parts of TS012 labels: the words after the longest parent label, kept only
        // where every label with that part belongs to the same single group ("other_europe" is
        // both a multi-group parent and a leaf, so it is not distinctive).
        let mut parts: HashMap<&str, Option<CountryGroup>> = HashMap::new();
        for (label, groups) in &lookup.labels {
            let parent = lookup
                .labels
                .keys()
                .filter(|p| {
                    label.len() > p.len()
                        && label.starts_with(p.as_str())
                        && label.as_bytes()[p.len()] == b'_'
                })
                .max_by_key(|p| p.len());
            if let Some(parent) = parent {
                let own = &label[parent.len() + 1..];
                let single = match **groups {
                    [g] => Some(g),
                    _ => None,
                };
                parts
                    .entry(own)
                    .and_modify(|e| {
                        if *e != single {
                            *e = None
                        }
                    })
                    .or_insert(single);
            }
        }
        lookup.own_parts = parts
            .into_iter()
            .filter(|(own, _)| own.contains('_'))
            .filter_map(|(own, g)| g.map(|g| (own.to_string(), g)))
            .collect();
        lookup
            .own_parts
            .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        Ok(lookup)
    }

    fn exact(&self, key: &str) -> Option<&[CountryGroup]> {
        self.labels
            .get(key)
            .or_else(|| self.names.get(key))
            .map(|g| &**g)
    }

    fn find(&self, key: &str) -> Option<&[CountryGroup]> {
        if key.is_empty() {
            return None;
        }
        if let Some(g) = self.exact(key) {
            return Some(g);
        }
        // Raw Nomis header forms and a leading article.
        let mut k = key;
        k = k.strip_prefix("country_of_birth_").unwrap_or(k);
        k = k.strip_suffix("_measures_value").unwrap_or(k);
        let k = k.strip_prefix("the_").unwrap_or(k);
        if let Some(g) = self.exact(k) {
            return Some(g);
        }
        // A label ending in a country name (longest name first).
        for (i, _) in k.match_indices('_') {
            if let Some(g) = self.names.get(&k[i + 1..]) {
                return Some(g);
            }
        }
        // The longest TS012 category the label starts with, if it belongs to one group.
        for (i, _) in k.rmatch_indices('_') {
            if let Some(g) = self.labels.get(&k[..i]) {
                if g.len() == 1 {
                    return Some(g);
                }
                break;
            }
        }
        // The distinctive part of a TS012 category, on word boundaries.
        let padded = format!("_{k}_");
        self.own_parts
            .iter()
            .find(|(own, _)| padded.contains(&format!("_{own}_")))
            .map(|(_, g)| std::slice::from_ref(g))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::census_ts012;
    use crate::table::CsvTable;
    use crate::testing::data_dir;

    const TS012: &str =
        "census2021-country-of-birth-ts012-ltla/census2021_ts012_country_of_birth_ltla21_long.csv";

    #[test]
    fn table_parses_and_every_group_is_used() {
        let lookup = Lookup::parse(COUNTRIES_CSV).unwrap();
        for g in CountryGroup::ALL {
            assert_eq!(g.as_str().parse::<CountryGroup>().unwrap(), *g);
            let used = lookup
                .names
                .values()
                .chain(lookup.labels.values())
                .any(|gs| gs.contains(g));
            assert!(used, "{g} is used by no row of countries.csv");
        }
        assert!(
            "eu9"
                .parse::<CountryGroup>()
                .unwrap_err()
                .to_string()
                .contains("eu14, eu8")
        );
        let bad = "name,group,kind,note\nFrance,eu15,country,\n";
        assert!(
            Lookup::parse(bad)
                .unwrap_err()
                .to_string()
                .contains("\"eu15\"")
        );
        let twice = "name,group,kind,note\nFrance,eu14,country,\nFRANCE,eu14,alias,\n";
        assert!(
            Lookup::parse(twice)
                .unwrap_err()
                .to_string()
                .contains("listed twice")
        );
    }

    #[test]
    fn eu_memberships() {
        let eu14 = [
            "Austria",
            "Belgium",
            "Denmark",
            "Finland",
            "France",
            "Germany",
            "Greece",
            "Ireland",
            "Italy",
            "Luxembourg",
            "Netherlands",
            "Portugal",
            "Spain",
            "Sweden",
        ];
        let eu8 = [
            "Czech Republic",
            "Czechia",
            "Estonia",
            "Hungary",
            "Latvia",
            "Lithuania",
            "Poland",
            "Slovakia",
            "Slovenia",
        ];
        let other = [
            "Cyprus",
            "Malta",
            "Croatia",
            "Iceland",
            "Liechtenstein",
            "Norway",
            "Switzerland",
        ];
        for (names, group) in [
            (&eu14[..], CountryGroup::Eu14),
            (&eu8[..], CountryGroup::Eu8),
            (&["Bulgaria", "Romania"][..], CountryGroup::Eu2),
            (&other[..], CountryGroup::OtherEuEea),
        ] {
            for name in names {
                assert_eq!(country_group(name), Some(group), "{name}");
                assert!(group.is_eu_eea());
            }
        }
        let lookup = &*LOOKUP;
        let count = |g: CountryGroup| {
            lookup
                .names
                .iter()
                .filter(|(k, v)| {
                    ***v == [g]
                        && ["czech_republic", "slovak_republic"]
                            .iter()
                            .all(|a| k.as_str() != *a)
                })
                .count()
        };
        // Only the listed members (and their aliases) are in the EU groups.
        assert_eq!(count(CountryGroup::Eu8), 8);
        assert_eq!(count(CountryGroup::Eu2), 2);
        for (name, group) in [
            ("United Kingdom", CountryGroup::Uk),
            ("Turkey", CountryGroup::NonEuEurope),
            ("Ukraine", CountryGroup::NonEuEurope),
            ("Afghanistan", CountryGroup::SouthAsia),
            ("Hong Kong", CountryGroup::EastAsia),
            ("Eritrea", CountryGroup::Africa),
            ("Syrian Arab Republic", CountryGroup::MiddleEast),
            ("Jamaica", CountryGroup::AmericasCaribbean),
            ("Stateless", CountryGroup::Other),
        ] {
            assert_eq!(country_group(name), Some(group), "{name}");
            assert!(!group.is_eu_eea());
        }
    }

    #[test]
    fn names_are_matched_whatever_their_form() {
        for (name, group) in [
            ("czech republic", CountryGroup::Eu8),
            ("CZECH_REPUBLIC", CountryGroup::Eu8),
            ("Korea (South)", CountryGroup::EastAsia),
            ("Congo (Democratic Republic)", CountryGroup::Africa),
            ("Trinidad & Tobago", CountryGroup::AmericasCaribbean),
            ("Türkiye", CountryGroup::NonEuEurope),
            ("The Gambia", CountryGroup::Africa),
            (
                "Country of birth: Europe: United Kingdom: England; measures: Value",
                CountryGroup::Uk,
            ),
            (
                "Country of birth: Middle East and Asia: Southern Asia: Pakistan; measures: Value",
                CountryGroup::SouthAsia,
            ),
            (
                "europe_eu_countries_european_union_member_countries_in_march_2001_other_member_countries",
                CountryGroup::Eu14,
            ),
            (
                "europe_eu_countries_european_union_member_countries_in_march_2001_ireland",
                CountryGroup::Eu14,
            ),
            (
                "middle_east_and_asia_southern_asia_nepal_and_bhutan",
                CountryGroup::SouthAsia,
            ),
            (
                "africa_south_and_eastern_africa_south_africa",
                CountryGroup::Africa,
            ),
            ("Northern Ireland", CountryGroup::Uk),
        ] {
            assert_eq!(country_group(name), Some(group), "{name}");
        }
        for unknown in [
            "",
            "Atlantis",
            "europe",
            "middle_east_and_asia",
            "europe_other_europe_eu_countries",
            "europe_other_europe_eu_countries_somewhere",
        ] {
            assert_eq!(country_group(unknown), None, "{unknown}");
        }
        assert_eq!(
            country_groups(
                "europe_other_europe_eu_countries_countries_that_joined_the_eu_between_april_2001_and_march_2011"
            ),
            Some(
                &[
                    CountryGroup::Eu8,
                    CountryGroup::Eu2,
                    CountryGroup::EuAccessionOther
                ][..]
            )
        );
    }

    /// The distinct values of one column of a shared-data CSV.
    fn distinct(relative: &str, column: &str) -> Vec<String> {
        let table = CsvTable::open(&data_dir().join(relative)).unwrap();
        let col = table.column(column).unwrap();
        let mut values: Vec<String> = table.rows.iter().map(|(_, r)| r[col].clone()).collect();
        values.sort();
        values.dedup();
        values
    }

    #[test]
    fn every_ts012_label_and_nationality_classifies() {
        let labels = distinct(TS012, "country_of_birth");
        assert_eq!(labels.len(), 82);
        let failures: Vec<&String> = labels
            .iter()
            .filter(|l| {
                let groups = country_groups(l);
                groups.is_none() || (census_ts012::is_leaf(l) && country_group(l).is_none())
            })
            .collect();
        assert!(
            failures.is_empty(),
            "TS012 labels not classified: {failures:?}"
        );
        let nationalities = distinct(
            "nino-registrations-statxplore-uk-la-calendar-year/national_top_nationalities_by_year.csv",
            "nationality",
        );
        assert_eq!(nationalities.len(), 15);
        let failures: Vec<&String> = nationalities
            .iter()
            .filter(|n| country_group(n).is_none())
            .collect();
        assert!(
            failures.is_empty(),
            "nationalities not classified: {failures:?}"
        );
        assert_eq!(country_group("India"), Some(CountryGroup::SouthAsia));
        assert_eq!(country_group("Nigeria"), Some(CountryGroup::Africa));
        assert_eq!(country_group("Ireland"), Some(CountryGroup::Eu14));
    }

    #[test]
    fn ts012_parents_cover_exactly_the_groups_of_their_children() {
        for label in census_ts012::CATEGORIES {
            if census_ts012::is_leaf(label) {
                continue;
            }
            let mut below: Vec<CountryGroup> = census_ts012::CATEGORIES
                .iter()
                .filter(|l| census_ts012::is_leaf(l) && l.starts_with(&format!("{label}_")))
                .map(|l| country_group(l).unwrap())
                .collect();
            below.sort();
            below.dedup();
            let mut own = country_groups(label).unwrap().to_vec();
            own.sort();
            assert_eq!(own, below, "{label}");
        }
    }

    #[test]
    fn birmingham_eu_groups_from_ts012() {
        let table = CsvTable::open(&data_dir().join(TS012)).unwrap();
        let [code, label, value] = table
            .columns(["ltla21_code", "country_of_birth", "value"])
            .unwrap();
        let mut by_group: HashMap<CountryGroup, f64> = HashMap::new();
        let mut by_label: HashMap<String, f64> = HashMap::new();
        let mut total = 0.0;
        for (_, r) in table.rows.iter().filter(|(_, r)| r[code] == "E08000025") {
            let v: f64 = r[value].parse().unwrap();
            by_label.insert(r[label].clone(), v);
            if census_ts012::is_leaf(&r[label]) {
                *by_group
                    .entry(country_group(&r[label]).unwrap())
                    .or_default() += v;
                total += v;
            }
        }
        let g = |x| by_group.get(&x).copied().unwrap_or(0.0);
        // The leaves partition the population: 1,144,919 residents, 838,959 born in the UK.
        assert_eq!(total, 1_144_919.0);
        assert_eq!(g(CountryGroup::Uk), 838_959.0);
        // TS012 has no EU8 category: its accession parent is EU8 + EU2 + Cyprus + Malta. EU8 that
        // TS012 separates (Lithuania 1,478 + Poland 9,965) plus EU2 (Romania 12,238) plus the
        // undivided rest (6,911) equal the parent (30,592).
        assert_eq!(g(CountryGroup::Eu8), 11_443.0);
        assert_eq!(g(CountryGroup::Eu2), 12_238.0);
        let accession = "europe_other_europe_eu_countries_countries_that_joined_the_eu_between_april_2001_and_march_2011";
        assert_eq!(by_label[accession], 30_592.0);
        assert_eq!(
            g(CountryGroup::Eu8) + g(CountryGroup::Eu2) + g(CountryGroup::EuAccessionOther),
            by_label[accession]
        );
        let march2001 = "europe_other_europe_eu_countries_member_countries_in_march_2001";
        assert_eq!(g(CountryGroup::Eu14), by_label[march2001]);
        let eu: f64 = CountryGroup::ALL
            .iter()
            .filter(|c| c.is_eu_eea())
            .map(|c| g(*c))
            .sum::<f64>()
            - by_label["europe_other_europe_eu_countries"];
        // The EU/EEA groups of TS012's leaves are exactly its EU parent: TS012 leaves Norway, Iceland,
        // Liechtenstein and Switzerland in "rest of Europe" (non-EU Europe).
        assert_eq!(eu, 0.0);
        let asia =
            g(CountryGroup::MiddleEast) + g(CountryGroup::SouthAsia) + g(CountryGroup::EastAsia);
        assert_eq!(asia, by_label["middle_east_and_asia"]);
    }
}
