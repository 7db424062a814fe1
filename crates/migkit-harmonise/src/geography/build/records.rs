//! Records: codes, names, dates and parents from CHD and drkane; combined authorities; LAD 2018 regions.

use std::collections::{BTreeMap, HashMap, HashSet};

use migkit_core::AreaCode;

use super::{Builder, CaEvent, list, prev_day};
use crate::geography::lookups::chd::GSS_START;
use crate::geography::lookups::{
    AuditSet, CHD_HISTORY, LA_ALL_CODES, LAD18_RGN18, Lookups, RGN_ALL_CODES, UTLA_ALL_CODES,
};
use crate::geography::names::{NameKind, normalise};

/// Step 1a: CHD records: names (dated), validity, parents.
pub(super) fn chd_records(b: &mut Builder, l: &Lookups, audits: &mut AuditSet) {
    let mut by_code: BTreeMap<AreaCode, Vec<&crate::geography::lookups::chd::ChdRow>> =
        BTreeMap::new();
    for r in &l.chd {
        by_code.entry(r.code).or_default().push(r);
    }
    let mut renamed = Vec::new();
    for (c, mut recs) in by_code {
        recs.sort_by_key(|r| std::cmp::Reverse(r.from));
        let newest = recs[0];
        let from = recs
            .iter()
            .map(|r| r.from)
            .min()
            .filter(|d| *d != GSS_START);
        let rec = b.ensure(c, &newest.name);
        rec.name = newest.name.clone();
        rec.valid_from = from;
        rec.valid_to = if newest.live { None } else { newest.to };
        match c.entity() {
            "E07" => rec.parents.utla = newest.parent,
            "E12" => rec.parents.country = newest.parent,
            "W06" => rec.parents.country = newest.parent,
            _ => rec.parents.region = newest.parent,
        }
        let (code_from, code_to) = (rec.valid_from, rec.valid_to);
        for r in &recs {
            let name_from = Some(r.from).filter(|d| *d != GSS_START);
            b.dated_names
                .push((r.name.clone(), c, name_from, r.to, NameKind::Official));
            if r.name != newest.name {
                b.add_other_name(c, &r.name);
            }
        }
        if recs.len() > 1 {
            renamed.push(format!(
                "{c} {} (was {})",
                newest.name,
                recs[1..]
                    .iter()
                    .map(|r| r.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let mut alts: Vec<&String> = recs.iter().flat_map(|r| &r.alt_names).collect();
        alts.sort();
        alts.dedup();
        for alt in alts {
            b.dated_names
                .push((alt.clone(), c, code_from, code_to, NameKind::Alternative));
            b.add_other_name(c, alt);
        }
        b.has_dated_names.insert(c);
    }
    // Districts' regions come through their county.
    let county_region: HashMap<AreaCode, AreaCode> = b
        .areas
        .values()
        .filter(|r| r.code.entity() == "E10")
        .filter_map(|r| Some((r.code, r.parents.region?)))
        .collect();
    for rec in b.areas.values_mut().filter(|r| r.code.entity() == "E07") {
        rec.parents.region = rec
            .parents
            .utla
            .and_then(|u| county_region.get(&u).copied());
    }
    audits.note(
        CHD_HISTORY,
        format!(
            "{} codes with {} records; dates (OPER_DATE 2009-01-01 read as 'before GSS codes began'), names and parents \
             (E07 → county → region) taken from here; CHD wins on dates. Renamed codes: {}",
            b.has_dated_names.len(),
            l.chd.len(),
            list(&renamed, 8)
        ),
    );
}

/// Step 1b: drkane records: codes CHD lacks, current parents, country and aggregate codes.
pub(super) fn drkane_records(b: &mut Builder, l: &Lookups, audits: &mut AuditSet) {
    let mut parent_disagreements = Vec::new();
    let mut status_disagreements = Vec::new();
    let mut added = 0;
    for r in &l.rgn {
        let rec = b.ensure(r.code, &r.name);
        if normalise(&rec.name) != normalise(&r.name) {
            let n = r.name.clone();
            b.add_other_name(r.code, &n);
        }
        let rec = b.ensure(r.code, &r.name);
        rec.parents.country = Some(r.country.0);
        b.ensure(r.country.0, &r.country.1);
        for (c, n) in &r.aggregates {
            b.ensure(*c, n);
        }
    }
    for r in &l.la {
        if !b.areas.contains_key(&r.code) {
            added += 1;
        }
        b.ensure(r.code, &r.name);
        b.add_other_name(r.code, &r.name);
        for (c, n) in r.country.iter().chain(&r.aggregates) {
            b.ensure(*c, n);
        }
        if let Some((c, n)) = &r.region {
            b.ensure(*c, n);
        }
        if let Some((c, n)) = &r.ca {
            b.ensure(*c, n);
        }
        let chd_live = b
            .has_dated_names
            .contains(&r.code)
            .then(|| b.areas[&r.code].valid_to.is_none());
        if chd_live.is_some_and(|live| live != r.current) {
            status_disagreements.push(format!(
                "{} (CHD {}, drkane {})",
                r.code,
                if chd_live == Some(true) {
                    "live"
                } else {
                    "terminated"
                },
                if r.current { "current" } else { "former" }
            ));
        }
        let region = r
            .region
            .as_ref()
            .map(|(c, _)| *c)
            .filter(|c| c.entity() == "E12");
        let rec = b
            .areas
            .get_mut(&r.code)
            .unwrap_or_else(|| unreachable!("ensured above"));
        if r.current {
            let utla = r.utla.as_ref().map(|(c, _)| *c);
            if rec.parents.utla.is_some() && utla.is_some() && rec.parents.utla != utla {
                parent_disagreements.push(format!(
                    "{} upper tier CHD {:?} vs drkane {:?}",
                    r.code, rec.parents.utla, utla
                ));
            }
            if rec.parents.region.is_some() && region.is_some() && rec.parents.region != region {
                parent_disagreements.push(format!(
                    "{} region CHD {:?} vs drkane {:?}",
                    r.code, rec.parents.region, region
                ));
            }
            if utla.is_some() {
                rec.parents.utla = utla;
            }
            rec.parents.region = region.or(rec.parents.region);
            rec.parents.combined_authority = r.ca.as_ref().map(|(c, _)| *c);
        } else if rec.parents.region.is_none() {
            // A former code's parent columns are its active LA's; regions never changed with mergers.
            rec.parents.region = region;
        }
        if let Some((c, _)) = &r.country {
            rec.parents.country = Some(*c);
        }
    }
    for r in &l.utla {
        b.ensure(r.code, &r.name);
        let region = r
            .region
            .as_ref()
            .map(|(c, _)| *c)
            .filter(|c| c.entity() == "E12");
        if let Some((c, n)) = &r.ca {
            b.ensure(*c, n);
        }
        let rec = b
            .areas
            .get_mut(&r.code)
            .unwrap_or_else(|| unreachable!("ensured above"));
        if rec.parents.region.is_some() && region.is_some() && rec.parents.region != region {
            parent_disagreements.push(format!(
                "{} region CHD {:?} vs drkane utla {:?}",
                r.code, rec.parents.region, region
            ));
        }
        rec.parents.region = region.or(rec.parents.region);
        if r.ca.is_some() {
            rec.parents.combined_authority = r.ca.as_ref().map(|(c, _)| *c);
        }
        if let Some((c, _)) = &r.country {
            rec.parents.country = Some(*c);
        }
    }
    audits.note(
        LA_ALL_CODES,
        format!(
            "{} codes ({} current); {added} codes not in the CHD extract added from here (Scotland, Northern Ireland, \
             2025 re-codes); current parents (upper tier, region, combined authority) taken from here (drkane wins \
             over CHD for current parents). Parent disagreements with CHD: {}. Live/current disagreements with CHD \
             (CHD is July 2024; the 2025 re-codes are dated by changes.csv): {}",
            l.la.len(),
            l.la.iter().filter(|r| r.current).count(),
            if parent_disagreements.is_empty() { "none".to_string() } else { list(&parent_disagreements, 10) },
            if status_disagreements.is_empty() { "none".to_string() } else { list(&status_disagreements, 10) },
        ),
    );
    audits.note(
        UTLA_ALL_CODES,
        format!(
            "{} upper-tier codes: combined authority and region of counties taken from here",
            l.utla.len()
        ),
    );
    audits.note(
        RGN_ALL_CODES,
        format!(
            "{} regions: country of each region and the UK aggregate codes taken from here",
            l.rgn.len()
        ),
    );
}

/// Step 3: combined-authority membership, drkane's overlaid with the 2024–2025 changes.
pub(super) fn combined_authorities(b: &mut Builder, events: &[CaEvent], audits: &mut AuditSet) {
    let known: HashSet<AreaCode> = b
        .areas
        .values()
        .filter_map(|r| r.parents.combined_authority)
        .collect();
    for e in events {
        if !known.contains(&e.ca) {
            let first = events
                .iter()
                .filter(|x| x.ca == e.ca)
                .map(|x| x.date)
                .min()
                .unwrap_or(e.date);
            b.ensure(e.ca, "").valid_from.get_or_insert(first);
        }
    }
    let mut order: Vec<&CaEvent> = events.iter().collect();
    order.sort_by_key(|e| e.date);
    let mut changed = 0;
    for e in order {
        if e.merger {
            b.ensure(e.member, "")
                .valid_to
                .get_or_insert(prev_day(e.date));
            for rec in b
                .areas
                .values_mut()
                .filter(|r| r.parents.combined_authority == Some(e.member))
            {
                rec.parents.combined_authority = Some(e.ca);
                changed += 1;
            }
            // The succession itself was recorded with the other changes.csv successions.
            continue;
        }
        // A county joins with its current districts.
        let member = e.member;
        for rec in b.areas.values_mut().filter(|r| {
            r.code == member || (r.parents.utla == Some(member) && r.valid_to.is_none())
        }) {
            if rec.parents.combined_authority != Some(e.ca) {
                rec.parents.combined_authority = Some(e.ca);
                changed += 1;
            }
        }
    }
    audits.note(
        LA_ALL_CODES,
        format!("CAUTHCD predates the 2024–2025 combined-authority changes: {changed} memberships updated from changes.csv (changes.csv wins)"),
    );
}

/// Cross-check and fill regions from the LAD 2018 lookup.
pub(super) fn lad18_regions(b: &mut Builder, l: &Lookups, audits: &mut AuditSet) {
    let mut agree = 0;
    let mut filled = 0;
    let mut disagree = Vec::new();
    for r in &l.lad18 {
        let rec = b.ensure(r.code, &r.name);
        match rec.parents.region {
            Some(g) if g == r.region => agree += 1,
            Some(g) => disagree.push(format!(
                "{} {}: {} here, {g} from CHD/drkane (they win)",
                r.code, r.name, r.region
            )),
            None => {
                rec.parents.region = Some(r.region);
                filled += 1;
            }
        }
    }
    audits.note(
        LAD18_RGN18,
        format!(
            "{agree} of {} regions agree with CHD/drkane; {filled} filled from here; disagreements: {}",
            l.lad18.len(),
            if disagree.is_empty() { "none".to_string() } else { list(&disagree, 10) }
        ),
    );
}
