//! Area names as publishers write them: normalisation, aliases and a dated name index.
//!
//! Publishers name the same area in many ways: "Herefordshire, County of" (ONS), "Herefordshire"
//! (Home Office), "Herefordshire Council" (the council itself); "St Albans" and "St. Albans";
//! "Brighton & Hove" and "Brighton and Hove"; "Glasgow" and "Glasgow City"; "Isle of Anglesey /
//! Ynys Môn". [`normalise`] maps these to one key, and the small alias table
//! (`crates/migkit-harmonise/data/area_name_aliases.csv`, written by this project) covers the
//! spellings that normalisation cannot (e.g. "Edinburgh" for "City of Edinburgh", "Dorset (U)").
//!
//! Names are dated: a name belongs to a code from the day the code (or that name of it) came into
//! force until it was terminated or renamed, so "Dorset" is the county E10000009 before
//! 1 April 2019 and the unitary E06000059 after.

use std::collections::HashMap;

use chrono::NaiveDate;
use migkit_core::{AreaCode, Error, GeographyLevel, Result};

/// The alias table written by this project: `alias,code,note`.
pub const ALIASES_CSV: &str = include_str!("../../data/area_name_aliases.csv");

/// The order in which [`crate::Bridge::code_for_name`] prefers levels when one name fits areas of
/// several levels: upper tier first (the Home Office's UASC and children's-services tables are at
/// county/unitary level), then lower tier, region, country and combined authority.
pub const DEFAULT_NAME_PREFERENCE: &[GeographyLevel] = &[
    GeographyLevel::Utla,
    GeographyLevel::Lad,
    GeographyLevel::Region,
    GeographyLevel::Country,
    GeographyLevel::CombinedAuthority,
];

/// Where a name of an area comes from; earlier kinds win ties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NameKind {
    /// The official (ONS) name, in force over the dates of that name.
    Official,
    /// An alternative name listed with the code (council names, Welsh names, former names).
    Alternative,
    /// A publisher's spelling from the project's alias table.
    Alias,
}

/// The result of matching a name: the code, how the name was known and whether the code was in
/// force on the date asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameMatch {
    /// The code.
    pub code: AreaCode,
    /// How the name was matched.
    pub kind: NameKind,
    /// True if the code carried that name on the date; false if the name only matched a code
    /// outside its dates (the nearest in time was taken, see [`crate::Bridge::match_name`]).
    pub in_force: bool,
}

/// One dated name of one code.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NameEntry {
    pub(crate) code: AreaCode,
    pub(crate) from: Option<NaiveDate>,
    pub(crate) to: Option<NaiveDate>,
    pub(crate) kind: NameKind,
}

impl NameEntry {
    /// Days between `on` and the entry's dates (0 if within them).
    fn distance(&self, on: NaiveDate) -> i64 {
        if let Some(from) = self.from
            && on < from
        {
            return (from - on).num_days();
        }
        if let Some(to) = self.to
            && on > to
        {
            return (on - to).num_days();
        }
        0
    }
}

/// Normalises a name for matching.
///
/// Lower-cases; folds Welsh and other accents (`Môn` → `mon`); drops apostrophes
/// (`King's Lynn` → `kings lynn`); reads `&` as `and` and `Saint`/`St.` as `st`; drops a leading
/// `The`, the ONS suffixes `, County of` and `, City of`, a trailing `City` (`Glasgow City`) and
/// council suffixes (`... Borough Council`, `... County Council`, `Council of the ...`); turns
/// other punctuation into spaces and collapses spaces.
///
/// ```
/// use migkit_harmonise::geography::names::normalise;
/// assert_eq!(normalise("Herefordshire, County of"), "herefordshire");
/// assert_eq!(normalise("Kingston upon Hull, City of"), normalise("Kingston upon Hull"));
/// assert_eq!(normalise("St. Albans"), normalise("St Albans"));
/// assert_eq!(normalise("Brighton & Hove City Council"), "brighton and hove");
/// assert_eq!(normalise("Ynys Môn"), "ynys mon");
/// assert_eq!(normalise("The Vale of Glamorgan"), "vale of glamorgan");
/// assert_eq!(normalise("City of London"), "city of london");
/// ```
pub fn normalise(name: &str) -> String {
    let mut text = String::with_capacity(name.len());
    for c in name.trim().chars() {
        match fold(c) {
            Fold::Keep(k) => text.push(k),
            Fold::Drop => {}
            Fold::Space => text.push(' '),
            Fold::And => text.push_str(" and "),
        }
    }
    // Suffixes written with a comma ("Bristol, City of") are checked before commas become spaces.
    let mut text = text.trim().to_string();
    for suffix in [", county of", ", city of"] {
        if let Some(stripped) = text.strip_suffix(suffix) {
            text = stripped.to_string();
        }
    }
    let mut words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| if w == "saint" { "st" } else { w })
        .collect();
    strip_council_words(&mut words);
    if words.len() > 1 && words[0] == "the" {
        words.remove(0);
    }
    if words.len() > 1 && words[words.len() - 1] == "city" {
        words.pop();
    }
    words.join(" ")
}

/// Removes "... Borough Council", "... County Council", "Council of the ..." and the like.
fn strip_council_words(words: &mut Vec<&str>) {
    if words.len() > 3 && words[0] == "council" && words[1] == "of" && words[2] == "the" {
        words.drain(..3);
    }
    if words.len() > 1 && words[words.len() - 1] == "council" {
        words.pop();
        while words.len() > 1
            && matches!(
                words[words.len() - 1],
                "borough" | "district" | "county" | "city" | "metropolitan"
            )
        {
            words.pop();
        }
    }
}

enum Fold {
    Keep(char),
    Drop,
    Space,
    And,
}

fn fold(c: char) -> Fold {
    let lower = c.to_lowercase().next().unwrap_or(c);
    let base = match lower {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ŵ' | 'ẁ' | 'ẃ' | 'ẅ' => 'w',
        'ŷ' | 'ỳ' | 'ý' | 'ÿ' => 'y',
        other => other,
    };
    match base {
        '\'' | '’' | '‘' | '`' => Fold::Drop,
        '&' => Fold::And,
        ',' => Fold::Keep(','),
        c if c.is_alphanumeric() => Fold::Keep(c),
        _ => Fold::Space,
    }
}

/// True for names of Northern Ireland Health and Social Care Trusts ("Belfast HSCT"), which
/// publish UASC figures in place of councils but are not local authorities.
pub fn is_hsct(name: &str) -> bool {
    let key = normalise(name);
    key.split(' ').any(|w| w == "hsct") || key.contains("health and social care trust")
}

/// One row of the alias table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// The publisher's spelling.
    pub alias: String,
    /// The code it stands for.
    pub code: AreaCode,
    /// Where the spelling was seen and why it is needed.
    pub note: String,
}

/// Parses the project's alias table ([`ALIASES_CSV`]).
///
/// # Errors
/// An [`Error::Input`] naming the row if a row is malformed or its code invalid.
pub fn aliases() -> Result<Vec<Alias>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(ALIASES_CSV.as_bytes());
    let mut out = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let row = i as u64 + 2;
        let at = || {
            migkit_core::Location::file("crates/migkit-harmonise/data/area_name_aliases.csv")
                .row(row)
        };
        let rec = rec.map_err(|e| Error::input(at(), format!("malformed alias row: {e}")))?;
        let (Some(alias), Some(code)) = (rec.get(0), rec.get(1)) else {
            return Err(Error::input(at(), "an alias row needs alias,code,note"));
        };
        let code =
            AreaCode::new(code).map_err(|e| Error::input(at().column("code"), e.to_string()))?;
        out.push(Alias {
            alias: alias.to_string(),
            code,
            note: rec.get(2).unwrap_or("").to_string(),
        });
    }
    Ok(out)
}

/// Names → dated codes.
#[derive(Debug, Clone, Default)]
pub(crate) struct NameIndex {
    map: HashMap<String, Vec<NameEntry>>,
}

impl NameIndex {
    /// Adds a name of a code, valid over `[from, to]` (open ends are `None`).
    pub(crate) fn add(
        &mut self,
        name: &str,
        code: AreaCode,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        kind: NameKind,
    ) {
        let key = normalise(name);
        if key.is_empty() {
            return;
        }
        let entries = self.map.entry(key).or_default();
        let entry = NameEntry {
            code,
            from,
            to,
            kind,
        };
        if !entries.contains(&entry) {
            entries.push(entry);
        }
    }

    /// Number of distinct normalised names.
    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }

    /// Finds the code for a name on a date among codes at the given levels, in order of preference.
    ///
    /// `levels_of` says which levels a code counts as (a unitary authority is both LAD and UTLA).
    pub(crate) fn find(
        &self,
        name: &str,
        on: NaiveDate,
        preference: &[GeographyLevel],
        levels_of: impl Fn(&AreaCode) -> Vec<GeographyLevel>,
    ) -> Result<NameMatch> {
        if is_hsct(name) {
            return Err(Error::UnknownArea {
                code: name.to_string(),
                context:
                    " (a Northern Ireland Health and Social Care Trust, not a local authority; \
                          HSCTs are in no geography lookup and have no GSS local-authority code)"
                        .to_string(),
            });
        }
        let mut keys = vec![normalise(name)];
        // Bilingual names: "Isle of Anglesey / Ynys Môn".
        if name.contains('/') {
            keys.extend(name.split('/').map(normalise).filter(|k| !k.is_empty()));
        }
        let rank_of = |code: &AreaCode| -> Option<usize> {
            let levels = levels_of(code);
            preference.iter().position(|p| levels.contains(p))
        };
        let mut seen_other_level: Vec<AreaCode> = Vec::new();
        for key in &keys {
            let Some(entries) = self.map.get(key) else {
                continue;
            };
            let ranked: Vec<(&NameEntry, usize)> = entries
                .iter()
                .filter_map(|e| match rank_of(&e.code) {
                    Some(r) => Some((e, r)),
                    None => {
                        seen_other_level.push(e.code);
                        None
                    }
                })
                .collect();
            if ranked.is_empty() {
                continue;
            }
            let nearest = ranked
                .iter()
                .map(|(e, _)| e.distance(on))
                .min()
                .unwrap_or(0);
            let pool: Vec<&(&NameEntry, usize)> = ranked
                .iter()
                .filter(|(e, _)| e.distance(on) == nearest)
                .collect();
            let best = pool
                .iter()
                .map(|(e, r)| (*r, e.kind))
                .min()
                .unwrap_or((0, NameKind::Official));
            let mut codes: Vec<&NameEntry> = pool
                .iter()
                .filter(|(e, r)| (*r, e.kind) == best)
                .map(|(e, _)| *e)
                .collect();
            codes.sort_by_key(|e| e.code);
            codes.dedup_by_key(|e| e.code);
            if codes.len() > 1 {
                let list: Vec<String> = codes.iter().map(|e| e.code.to_string()).collect();
                return Err(Error::parameter(
                    "name",
                    format!(
                        "{name:?} on {on} fits {} equally well; pass a level (code_for_name_at_level) to choose",
                        list.join(" and ")
                    ),
                ));
            }
            let entry = codes[0];
            return Ok(NameMatch {
                code: entry.code,
                kind: entry.kind,
                in_force: nearest == 0,
            });
        }
        let context = if seen_other_level.is_empty() {
            format!(" (a name, normalised as {:?}, looked up on {on})", keys[0])
        } else {
            seen_other_level.sort();
            seen_other_level.dedup();
            let list: Vec<String> = seen_other_level.iter().map(ToString::to_string).collect();
            format!(
                " (a name, looked up on {on} at levels {preference:?}; it names {} at other levels)",
                list.join(", ")
            )
        };
        Err(Error::UnknownArea {
            code: name.to_string(),
            context,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{code, date};

    /// Distinct values of some columns of a shared-data CSV, with the rows they first appear in.
    fn distinct(relative: &str, columns: &[&str]) -> Vec<Vec<String>> {
        let table =
            crate::table::CsvTable::open(&crate::default_data_dir().join(relative)).unwrap();
        let cols: Vec<usize> = columns.iter().map(|c| table.column(c).unwrap()).collect();
        let mut seen = std::collections::BTreeSet::new();
        for (_, f) in &table.rows {
            seen.insert(cols.iter().map(|c| f[*c].clone()).collect::<Vec<_>>());
        }
        seen.into_iter().collect()
    }

    const NTS01: &str =
        "ho-uasc-national-transfer-scheme-by-la-nts01/nts01_uasc_transfers_by_la_2016q3_2023q3.csv";
    const ASY_D11: &str =
        "ho-asylum-support-by-la-asy-d11/asy_d11_asylum_support_by_la_2014q1_2024q3.csv";

    #[test]
    fn every_nts01_name_in_great_britain_matches_a_code_in_its_region() {
        let b = crate::testing::bridge();
        let mut failures = Vec::new();
        let mut wrong_region = Vec::new();
        let mut stale = std::collections::BTreeSet::new();
        let mut hscts = 0;
        for row in distinct(NTS01, &["Local Authority or HSCT (NI)", "Date", "Region"]) {
            let (name, on, region) = (&row[0], date(&row[1]), &row[2]);
            if region.starts_with("*Total") {
                continue;
            }
            if region == "Northern Ireland" {
                if is_hsct(name) {
                    assert!(
                        matches!(b.code_for_name(name, on), Err(Error::UnknownArea { .. })),
                        "{name}"
                    );
                    hscts += 1;
                }
                continue;
            }
            match b.match_name(name, on, DEFAULT_NAME_PREFERENCE) {
                Ok(m) => {
                    if !m.in_force {
                        stale.insert(name.clone());
                    }
                    let got = b
                        .region_of(&m.code)
                        .and_then(|r| b.name(&r))
                        .unwrap_or("?")
                        .to_string();
                    if &got != region {
                        wrong_region
                            .insert_unique(format!("{name} ({region}) → {} in {got}", m.code));
                    }
                }
                Err(e) => failures.insert_unique(format!("{name} on {on}: {e}")),
            }
        }
        assert!(
            failures.is_empty(),
            "{} NTS_01 names do not match:\n{}",
            failures.len(),
            failures.join("\n")
        );
        // The Home Office put the 2019 Suffolk districts in the South East; they are in the East of England.
        assert_eq!(
            wrong_region,
            [
                "East Suffolk (South East) → E07000244 in East of England",
                "West Suffolk (South East) → E07000245 in East of England"
            ]
        );
        assert_eq!(hscts, 5 * 29);
        // Names listed outside their dates (abolished areas kept on the list, BCP listed from 2016).
        for name in [
            "Aylesbury Vale",
            "Bournemouth, Christchurch and Poole",
            "Northamptonshire",
            "Corby",
            "Dorset (U)",
        ] {
            assert!(stale.contains(name), "{name} not among {stale:?}");
        }
        for name in ["Birmingham", "Staffordshire", "Herefordshire", "Shropshire"] {
            assert!(!stale.contains(name), "{name}");
        }
    }

    #[test]
    fn every_official_name_finds_its_own_code() {
        let b = crate::testing::bridge();
        let mut failures = Vec::new();
        for d in [
            "2008-06-30",
            "2009-06-30",
            "2012-06-30",
            "2016-06-30",
            "2020-06-30",
            "2023-06-30",
            "2025-06-30",
        ] {
            let on = date(d);
            for r in b
                .iter()
                .filter(|r| r.code.kind() == migkit_core::AreaCodeKind::Gss && r.in_force_on(on))
            {
                if !matches!(
                    r.level,
                    GeographyLevel::Lad
                        | GeographyLevel::Utla
                        | GeographyLevel::Region
                        | GeographyLevel::Country
                ) {
                    continue;
                }
                match b.code_for_name_at_level(&r.name, on, r.level) {
                    Ok(c) if c == r.code => {}
                    other => failures.push(format!("{d} {} {}: {other:?}", r.code, r.name)),
                }
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }

    trait InsertUnique {
        fn insert_unique(&mut self, s: String);
    }

    impl InsertUnique for Vec<String> {
        fn insert_unique(&mut self, s: String) {
            if !self.contains(&s) {
                self.push(s);
            }
        }
    }

    #[test]
    fn home_office_names_give_the_expected_codes() {
        let b = crate::testing::bridge();
        let on = date("2023-09-30");
        for (name, expected) in [
            ("Staffordshire", "E10000028"),
            ("Warwickshire", "E10000031"),
            ("Worcestershire", "E10000034"),
            ("Herefordshire", "E06000019"),
            ("Herefordshire, County of", "E06000019"),
            ("Bristol", "E06000023"),
            ("Bristol, City of", "E06000023"),
            ("Kingston upon Hull", "E06000010"),
            ("Kingston upon Hull, City of", "E06000010"),
            ("Telford & Wrekin", "E06000020"),
            ("Stoke-on-Trent", "E06000021"),
            ("St. Helens", "E08000013"),
            ("St Albans", "E07000240"),
            ("King's Lynn and West Norfolk", "E07000146"),
            ("Bournemouth, Christchurch and Poole", "E06000058"),
            ("Dorset", "E06000059"),
            ("Dorset (U)", "E06000059"),
            ("The Vale of Glamorgan", "W06000014"),
            ("Isle of Anglesey / Ynys Môn", "W06000001"),
            ("Ynys Môn", "W06000001"),
            ("Rhondda Cynon Taf", "W06000016"),
            ("Edinburgh", "S12000036"),
            ("Glasgow", "S12000049"),
            ("Eilean Siar", "S12000013"),
            ("Barnsley", "E08000016"),
            ("West Midlands", "E12000005"),
            ("Wales", "W92000004"),
            ("City of London", "E09000001"),
            ("London", "E12000007"),
            ("Folkestone and Hythe", "E07000112"),
        ] {
            assert_eq!(
                b.code_for_name(name, on)
                    .map(|c| c.to_string())
                    .unwrap_or_else(|e| e.to_string()),
                expected,
                "{name}"
            );
        }
        // Dated names.
        let at = |name: &str, d: &str| b.code_for_name(name, date(d)).unwrap().to_string();
        assert_eq!(at("Dorset", "2016-09-30"), "E10000009");
        assert_eq!(at("Dorset", "2019-03-31"), "E10000009");
        assert_eq!(at("Dorset", "2019-04-01"), "E06000059");
        assert_eq!(
            at("Bournemouth, Christchurch and Poole", "2019-06-30"),
            "E06000058"
        );
        assert_eq!(at("Barnsley", "2025-06-30"), "E08000038");
        assert_eq!(at("North Yorkshire", "2022-12-31"), "E10000023");
        assert_eq!(at("North Yorkshire", "2023-06-30"), "E06000065");
        assert_eq!(at("Shepway", "2017-12-31"), "E07000112");
        assert_eq!(at("Bridgnorth", "2008-06-30"), "E07000182");
        assert_eq!(at("Northumberland", "2010-06-30"), "E06000048");
        assert_eq!(at("Northumberland", "2016-06-30"), "E06000057");
        // Levels: the region and the combined authority share a name; so do a county and a CA.
        let level = |name: &str, d: &str, l| {
            b.code_for_name_at_level(name, date(d), l)
                .unwrap()
                .to_string()
        };
        assert_eq!(
            level(
                "West Midlands",
                "2023-09-30",
                GeographyLevel::CombinedAuthority
            ),
            "E47000007"
        );
        assert_eq!(at("Lancashire", "2025-06-30"), "E10000017");
        assert_eq!(
            level(
                "Lancashire",
                "2025-06-30",
                GeographyLevel::CombinedAuthority
            ),
            "E47000018"
        );
        assert_eq!(
            level("Herefordshire", "2023-09-30", GeographyLevel::Lad),
            "E06000019"
        );
        let err = b
            .code_for_name_at_level("Staffordshire", on, GeographyLevel::Lad)
            .unwrap_err()
            .to_string();
        assert!(err.contains("E10000028"), "{err}");
        // Not local authorities, or not anything.
        for name in ["Belfast HSCT", "Northern HSCT", "Western HSCT"] {
            assert!(
                matches!(b.code_for_name(name, on), Err(Error::UnknownArea { .. })),
                "{name}"
            );
        }
        let err = b.code_for_name("Atlantis", on).unwrap_err();
        assert!(
            matches!(err, Error::UnknownArea { .. }) && err.to_string().contains("\"Atlantis\""),
            "{err}"
        );
    }

    #[test]
    fn asy_d11_names_agree_with_their_published_codes() {
        let b = crate::testing::bridge();
        let mut disagree = Vec::new();
        let mut checked = 0;
        for row in distinct(ASY_D11, &["Local Authority", "LAD Code", "Date"]) {
            let (name, published, on) = (&row[0], &row[1], date(&row[2]));
            let Ok(published) = AreaCode::new(published) else {
                continue;
            };
            let found = b.code_for_name_at_level(name, on, GeographyLevel::Lad);
            let newest = |c: &AreaCode| b.successors(c, crate::geography::Vintage::Newest).ok();
            let same = |c: &AreaCode| newest(c) == newest(&published);
            match found {
                Ok(c) if same(&c) => checked += 1,
                Ok(c) => disagree.insert_unique(format!("{name} {published} {on} → {c}")),
                Err(e) => disagree.insert_unique(format!("{name} {published} {on}: {e}")),
            }
        }
        assert!(checked > 10_000, "{checked}");
        // All disagreements are rows of 31 December 2022 where the Home Office paired names with
        // another area's code (e.g. Leeds with Kingston upon Hull's E06000010).
        let unexpected: Vec<&String> = disagree
            .iter()
            .filter(|d| !d.contains(" 2022-12-31 "))
            .collect();
        assert!(unexpected.is_empty(), "{unexpected:#?}");
        assert!(
            disagree
                .iter()
                .any(|d| d.starts_with("Leeds E06000010 2022-12-31 → E08000035")),
            "{disagree:#?}"
        );
    }

    #[test]
    fn a_county_and_a_district_of_one_name_prefer_the_county() {
        let mut idx = NameIndex::default();
        let (county, district) = (code("E10000099"), code("E07000999"));
        idx.add("Midshire", county, None, None, NameKind::Official);
        idx.add("Midshire", district, None, None, NameKind::Official);
        let levels = |c: &AreaCode| crate::geography::levels_of_code(c);
        let on = date("2020-01-01");
        assert_eq!(
            idx.find("Midshire", on, DEFAULT_NAME_PREFERENCE, levels)
                .unwrap()
                .code,
            county
        );
        assert_eq!(
            idx.find("Midshire", on, &[GeographyLevel::Lad], levels)
                .unwrap()
                .code,
            district
        );
        // Two codes at the same level with the same name and dates cannot be told apart.
        idx.add(
            "Midshire",
            code("E10000098"),
            None,
            None,
            NameKind::Official,
        );
        let err = idx
            .find("Midshire", on, DEFAULT_NAME_PREFERENCE, levels)
            .unwrap_err()
            .to_string();
        assert!(err.contains("E10000098 and E10000099"), "{err}");
        // An official name beats an alias of another code.
        idx.add("Old Midshire", district, None, None, NameKind::Alias);
        idx.add(
            "Old Midshire",
            code("E07000998"),
            None,
            None,
            NameKind::Official,
        );
        let found = idx
            .find("Old Midshire", on, &[GeographyLevel::Lad], levels)
            .unwrap();
        assert_eq!(
            (found.code, found.kind),
            (code("E07000998"), NameKind::Official)
        );
    }

    #[test]
    fn normalisation_matches_publisher_spellings() {
        let same = [
            ("Herefordshire, County of", "Herefordshire"),
            ("Bristol, City of", "Bristol"),
            ("Kingston upon Hull, City of", "Kingston upon Hull"),
            ("St. Helens", "St Helens"),
            ("Saint Albans", "St Albans"),
            (
                "King's Lynn and West Norfolk",
                "Kings Lynn and West Norfolk",
            ),
            (
                "King’s Lynn and West Norfolk",
                "King's Lynn and West Norfolk",
            ),
            ("Telford & Wrekin", "Telford and Wrekin"),
            ("Glasgow City", "Glasgow"),
            ("Aberdeen City", "ABERDEEN"),
            ("Staffordshire County Council", "Staffordshire"),
            ("Council of the Isles of Scilly", "Isles of Scilly"),
            ("  Newcastle-under-Lyme ", "Newcastle under Lyme"),
            ("Rhondda, Cynon, Taff", "Rhondda Cynon Taff"),
        ];
        for (a, b) in same {
            assert_eq!(normalise(a), normalise(b), "{a} vs {b}");
        }
        // Distinctions that must survive.
        assert_ne!(normalise("City of London"), normalise("London"));
        assert_ne!(normalise("Dorset (U)"), normalise("Dorset"));
        assert_ne!(normalise("Stafford"), normalise("Staffordshire"));
        assert_ne!(normalise("Aberdeen"), normalise("Aberdeenshire"));
        assert_eq!(
            normalise("Derry City and Strabane"),
            "derry city and strabane"
        );
    }

    #[test]
    fn hscts_are_recognised() {
        assert!(is_hsct("Belfast HSCT"));
        assert!(is_hsct("South Eastern HSCT"));
        assert!(!is_hsct("Belfast"));
    }

    #[test]
    fn alias_table_parses() {
        let aliases = aliases().unwrap();
        assert!(
            aliases
                .iter()
                .any(|a| a.alias == "Edinburgh" && a.code.as_str() == "S12000036")
        );
        assert!(
            aliases.iter().all(|a| !a.note.is_empty()),
            "every alias says why it exists"
        );
    }

    #[test]
    fn index_prefers_in_force_then_level_then_kind() {
        let mut idx = NameIndex::default();
        let county = code("E10000009");
        let unitary = code("E06000059");
        idx.add(
            "Dorset",
            county,
            None,
            Some(date("2019-03-31")),
            NameKind::Official,
        );
        idx.add(
            "Dorset",
            unitary,
            Some(date("2019-04-01")),
            None,
            NameKind::Official,
        );
        let levels = |c: &AreaCode| {
            if c.entity() == "E10" {
                vec![GeographyLevel::Utla]
            } else {
                vec![GeographyLevel::Lad, GeographyLevel::Utla]
            }
        };
        let m = idx
            .find(
                "Dorset",
                date("2016-09-30"),
                DEFAULT_NAME_PREFERENCE,
                levels,
            )
            .unwrap();
        assert_eq!((m.code, m.in_force), (county, true));
        let m = idx
            .find(
                "DORSET",
                date("2020-01-01"),
                DEFAULT_NAME_PREFERENCE,
                levels,
            )
            .unwrap();
        assert_eq!((m.code, m.in_force), (unitary, true));
        // Only the unitary is a LAD; before it existed it is still the nearest LAD of that name.
        let m = idx
            .find("Dorset", date("2016-09-30"), &[GeographyLevel::Lad], levels)
            .unwrap();
        assert_eq!((m.code, m.in_force), (unitary, false));
        let err = idx
            .find(
                "Dorset",
                date("2016-09-30"),
                &[GeographyLevel::Region],
                levels,
            )
            .unwrap_err();
        assert!(err.to_string().contains("E06000059"), "{err}");
        let err = idx
            .find(
                "Belfast HSCT",
                date("2016-09-30"),
                DEFAULT_NAME_PREFERENCE,
                levels,
            )
            .unwrap_err();
        assert!(
            err.to_string().contains("Health and Social Care Trust"),
            "{err}"
        );
    }
}
