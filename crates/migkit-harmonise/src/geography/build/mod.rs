//! Combining the lookups into one bridge, with the precedence rules where they disagree.
//!
//! Order and rules (each cross-check is written as a note on the audit of the file that loses):
//! 1. **Codes, names, dates, parents**: the Code History Database (CHD, July 2024) for every
//!    E06–E10, E12 and W06 code it has; CHD wins on dates. drkane's `la_all_codes.csv` adds the
//!    codes CHD lacks (Scotland, Northern Ireland, the 2025 re-codes) and gives the *current*
//!    parents (upper tier, region, country) of live codes; drkane wins on current parents.
//! 2. **Successors**, first rule that applies per code: ONSvisual `changes.csv` (2018–2025, dated
//!    1 April of its year, date checked against CHD, CHD wins); drkane's former → current code
//!    (2012–2013 re-codes, dated by CHD); CHD same-name re-codes (a terminated code and a code of
//!    the same name in force the next day, e.g. Powys W06000007 → W06000023 in 2009); the 2009
//!    mergers from the derived 2008 crosswalk (a district terminated on 31 March 2009 whose
//!    max-overlap LAD 2021 is another code merged, on 1 April 2009, into the code in force then
//!    on that LAD 2021's line). Terminated counties succeed to the codes that succeeded their
//!    districts (a split if more than one).
//! 3. **Combined authorities**: drkane's `CAUTHCD` predates the 2024–2025 changes, so the
//!    `new_geo`/`merger` rows of `changes.csv` to E47 codes are applied on top (changes.csv wins).
//! 4. **Old-style codes** from the 2008 crosswalk and the LAD 2011 table (they agree).
//! 5. **Small areas** from drkane's West Midlands MSOA/LSOA lookups.
//! 6. **Names**: official names dated by CHD record, alternative names, then the alias table.

mod records;
mod small_areas;
mod successions;

use std::collections::{HashMap, HashSet};

use chrono::{Days, NaiveDate};
use migkit_core::{AreaCode, GeographyLevel, Result};

use super::bridge::{AreaRecord, Bridge, level_of_code};
use super::history::History;
use super::lookups::{AuditSet, CHD_HISTORY, Lookups};
use super::names::{NameIndex, NameKind, aliases, normalise};

/// Census day 2021: the 2021 small-area geography replaces the 2011 one.
const CENSUS_2021: NaiveDate = match NaiveDate::from_ymd_opt(2021, 3, 21) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// The day after the 2009 reorganisation took effect.
const APRIL_2009: NaiveDate = match NaiveDate::from_ymd_opt(2009, 4, 1) {
    Some(d) => d,
    None => panic!("valid date"),
};

fn next_day(d: NaiveDate) -> NaiveDate {
    d.checked_add_days(Days::new(1)).unwrap_or(d)
}

fn prev_day(d: NaiveDate) -> NaiveDate {
    d.checked_sub_days(Days::new(1)).unwrap_or(d)
}

fn code(text: &str) -> AreaCode {
    // Only called with literal codes written in this file.
    AreaCode::new(text).unwrap_or_else(|_| unreachable!("literal code {text} is valid"))
}

/// True for lower-tier codes that can succeed one another (not counties or combined authorities).
fn is_lad_like(c: &AreaCode) -> bool {
    matches!(
        c.entity(),
        "E06" | "E07" | "E08" | "E09" | "W06" | "S12" | "N09"
    )
}

/// A list of codes for a note, shortened after `max`.
fn list(codes: &[String], max: usize) -> String {
    if codes.len() <= max {
        codes.join("; ")
    } else {
        format!(
            "{}; … and {} more",
            codes[..max].join("; "),
            codes.len() - max
        )
    }
}

/// A name of a code with its own dates: (name, code, from, to, kind).
type DatedName = (
    String,
    AreaCode,
    Option<NaiveDate>,
    Option<NaiveDate>,
    NameKind,
);

#[derive(Default)]
struct Builder {
    areas: HashMap<AreaCode, AreaRecord>,
    history: History,
    /// Names with their own dates (CHD records); other records get their official name dated by
    /// the record.
    dated_names: Vec<DatedName>,
    has_dated_names: HashSet<AreaCode>,
}

impl Builder {
    fn ensure(&mut self, code: AreaCode, name: &str) -> &mut AreaRecord {
        self.areas.entry(code).or_insert_with(|| {
            let level = level_of_code(&code).unwrap_or(GeographyLevel::Lad);
            let mut rec = AreaRecord::new(code, name, level);
            if level == GeographyLevel::Utla
                || (level == GeographyLevel::Lad && code.entity() != "E07")
            {
                rec.parents.utla = Some(code);
            }
            rec.parents.country = match code.as_str().as_bytes()[0] {
                b'E' if level != GeographyLevel::Country => Some(self::code("E92000001")),
                b'W' if level != GeographyLevel::Country => Some(self::code("W92000004")),
                b'S' if level != GeographyLevel::Country => Some(self::code("S92000003")),
                b'N' if level != GeographyLevel::Country => Some(self::code("N92000002")),
                _ => None,
            };
            rec
        })
    }

    fn add_other_name(&mut self, code: AreaCode, name: &str) {
        if let Some(rec) = self.areas.get_mut(&code) {
            let key = normalise(name);
            if !name.is_empty()
                && normalise(&rec.name) != key
                && !rec.other_names.iter().any(|n| normalise(n) == key)
            {
                rec.other_names.push(name.to_string());
            }
        }
    }

    fn in_force(&self, c: &AreaCode, d: NaiveDate) -> bool {
        self.areas.get(c).is_some_and(|r| r.in_force_on(d))
    }

    fn label(&self, c: &AreaCode) -> String {
        match self.areas.get(c) {
            Some(r) => format!("{c} {}", r.name),
            None => c.to_string(),
        }
    }
}

/// Builds the bridge from parsed lookups, writing cross-checks into the audits.
pub(crate) fn build(l: &Lookups, audits: &mut AuditSet) -> Result<Bridge> {
    let mut b = Builder::default();
    records::chd_records(&mut b, l, audits);
    records::drkane_records(&mut b, l, audits);
    let ca_events = successions::change_successions(&mut b, l, audits);
    successions::drkane_successions(&mut b, l, audits);
    successions::chd_same_name_recodes(&mut b, l, audits);
    successions::legacy_codes(&mut b, l, audits);
    successions::county_successions(&mut b, audits);
    records::combined_authorities(&mut b, &ca_events, audits);
    records::lad18_regions(&mut b, l, audits);
    small_areas::small_areas(&mut b, l, audits);
    successions::final_cross_checks(&b, l, audits);
    let names = name_index(&b, audits)?;
    Ok(Bridge {
        areas: b.areas,
        history: b.history,
        names,
    })
}

/// A combined-authority membership change from `changes.csv`.
pub(super) struct CaEvent {
    pub(super) date: NaiveDate,
    pub(super) member: AreaCode,
    pub(super) ca: AreaCode,
    /// True if `member` is itself a combined authority merged into `ca`.
    pub(super) merger: bool,
}

/// Step 6: the name index.
fn name_index(b: &Builder, audits: &mut AuditSet) -> Result<NameIndex> {
    let mut names = NameIndex::default();
    let indexed = |r: &AreaRecord| {
        r.code.kind() == migkit_core::AreaCodeKind::Gss
            && matches!(
                r.level,
                GeographyLevel::Lad
                    | GeographyLevel::Utla
                    | GeographyLevel::Region
                    | GeographyLevel::Country
                    | GeographyLevel::CombinedAuthority
            )
    };
    for (name, c, from, to, kind) in &b.dated_names {
        // CHD (July 2024) does not know later terminations; the record's dates do.
        let rec = b.areas.get(c);
        let to = to.or(rec.and_then(|r| r.valid_to));
        names.add(name, *c, *from, to, *kind);
    }
    let mut records: Vec<&AreaRecord> = b.areas.values().filter(|r| indexed(r)).collect();
    records.sort_by_key(|r| r.code);
    for r in records {
        if !b.has_dated_names.contains(&r.code) {
            names.add(
                &r.name,
                r.code,
                r.valid_from,
                r.valid_to,
                NameKind::Official,
            );
        }
        for other in &r.other_names {
            names.add(
                other,
                r.code,
                r.valid_from,
                r.valid_to,
                NameKind::Alternative,
            );
        }
    }
    let table = aliases()?;
    let mut unknown = Vec::new();
    for a in &table {
        match b.areas.get(&a.code) {
            Some(r) => names.add(&a.alias, a.code, r.valid_from, r.valid_to, NameKind::Alias),
            None => unknown.push(format!("{} → {}", a.alias, a.code)),
        }
    }
    audits.note(
        CHD_HISTORY,
        format!(
            "bridge: {} codes, {} successions; name index: {} distinct normalised names, {} aliases from \
             crates/migkit-harmonise/data/area_name_aliases.csv{}",
            b.areas.len(),
            b.history.len(),
            names.len(),
            table.len(),
            if unknown.is_empty() { String::new() } else { format!("; aliases to unknown codes left out: {}", unknown.join(", ")) }
        ),
    );
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geography::history::ChangeKind;
    use crate::testing::bridge;

    #[test]
    fn cross_checks_are_noted_and_agree() {
        let (_, audits) = Bridge::from_data_dir(&crate::default_data_dir()).unwrap();
        let notes = |reader: &str| {
            audits
                .iter()
                .find(|a| a.reader == reader)
                .unwrap()
                .notes
                .join(" | ")
        };
        let la = notes("lookup_la_all_codes");
        assert!(
            la.contains("54 of 54 former codes reach their LADCD_ACTIVE"),
            "{la}"
        );
        assert!(la.contains("Parent disagreements with CHD: none"), "{la}");
        let lad08 = notes("lookup_lad08_derived");
        assert!(
            lad08.contains("354 of 354 districts recode as at 2021-12-31"),
            "{lad08}"
        );
        assert!(lad08.contains("problems: none"), "{lad08}");
        assert!(notes("lookup_lad11_old_codes").contains("disagreements: none"));
        assert!(notes("lookup_lad18_rgn18").contains("326 of 326 regions agree"));
        assert!(notes("lookup_wm_msoa21_names").contains("736 of 736"));
        let chd = notes("lookup_chd_history");
        assert!(chd.contains("W06000007 Powys → W06000023"), "{chd}");
        assert!(chd.contains("conflicts: none"), "{chd}");
        for a in &audits {
            a.check_rows().unwrap();
            assert_eq!(a.observations, 0);
        }
    }

    #[test]
    fn counties_succeed_to_their_districts_successors() {
        let b = bridge();
        let s = |c: &str| {
            b.succession(&code(c))
                .unwrap_or_else(|| panic!("{c} has a succession"))
        };
        assert_eq!(s("E10000026").successors, [code("E06000051")]);
        assert_eq!(
            s("E10000021").successors,
            [code("E06000061"), code("E06000062")]
        );
        assert_eq!(s("E10000021").kind, ChangeKind::Split);
        // Dorset county held Christchurch (→ BCP) and five districts (→ Dorset Council).
        assert_eq!(
            s("E10000009").successors,
            [code("E06000058"), code("E06000059")]
        );
        assert_eq!(
            s("E10000009").date,
            NaiveDate::from_ymd_opt(2019, 4, 1).unwrap()
        );
        assert_eq!(s("E10000002").successors, [code("E06000060")]);
        assert_eq!(s("E10000022").successors, [code("E06000048")]);
        // Northumberland districts merged into E06000048 in 2009, re-coded E06000057 in 2013.
        assert_eq!(s("E07000157").successors, [code("E06000048")]);
        assert_eq!(s("E06000048").successors, [code("E06000057")]);
    }

    #[test]
    fn combined_authorities_follow_the_2024_changes() {
        let b = bridge();
        let ca = |c: &str| b.combined_authority_of(&code(c)).map(|c| c.to_string());
        assert_eq!(ca("E08000025").as_deref(), Some("E47000007"));
        // North East and North of Tyne merged into E47000014 in 2024.
        assert_eq!(ca("E06000047").as_deref(), Some("E47000014"));
        assert_eq!(ca("E08000021").as_deref(), Some("E47000014"));
        // Districts of Derbyshire joined the East Midlands CA with their county.
        assert_eq!(ca("E10000007").as_deref(), Some("E47000013"));
        assert_eq!(ca("E07000032").as_deref(), Some("E47000013"));
        assert_eq!(ca("E06000019"), None);
        assert_eq!(
            b.succession(&code("E47000011")).unwrap().successors,
            [code("E47000014")]
        );
    }
}
