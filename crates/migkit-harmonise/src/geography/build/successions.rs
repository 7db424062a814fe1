//! Successions between codes, from each lookup in order of precedence, and the cross-checks on them.

use std::collections::HashMap;

use chrono::NaiveDate;
use migkit_core::AreaCode;

use super::{APRIL_2009, Builder, CaEvent, is_lad_like, list, next_day, prev_day};
use crate::geography::bridge::AreaRecord;
use crate::geography::history::{ChangeKind, Succession};
use crate::geography::lookups::changes::ChangeType;
use crate::geography::lookups::{
    AuditSet, CHD_HISTORY, LA_ALL_CODES, LAD_CHANGES, LAD08_DERIVED, LAD11_OLD_CODES, Lookups,
};
use crate::geography::names::normalise;

/// Step 2a: successions from `changes.csv`; returns the combined-authority events for step 3.
pub(super) fn change_successions(
    b: &mut Builder,
    l: &Lookups,
    audits: &mut AuditSet,
) -> Vec<CaEvent> {
    let mut ca_events = Vec::new();
    let mut date_notes = Vec::new();
    let mut agree = 0;
    let mut successions = 0;
    for r in &l.changes {
        let Some((new, new_name)) = &r.new else {
            // A termination (county abolished): a date check only.
            match b.areas.get(&r.old).and_then(|a| a.valid_to) {
                Some(t) if next_day(t) == r.date => agree += 1,
                Some(t) => date_notes.push(format!(
                    "row {}: {} terminated {} in CHD, {} here (CHD wins)",
                    r.row, r.old, t, r.date
                )),
                None => {
                    let rec = b.ensure(r.old, &r.old_name);
                    rec.valid_to = Some(prev_day(r.date));
                }
            }
            continue;
        };
        if new.entity() == "E47" {
            b.ensure(*new, new_name);
            ca_events.push(CaEvent {
                date: r.date,
                member: r.old,
                ca: *new,
                merger: r.old.entity() == "E47",
            });
            if r.old.entity() != "E47" {
                continue;
            }
        }
        // The effective date: CHD's termination date + 1 where CHD has it (CHD wins on dates).
        let chd_end = b
            .has_dated_names
            .contains(&r.old)
            .then(|| b.areas[&r.old].valid_to)
            .flatten();
        let date = match chd_end {
            Some(t) if next_day(t) == r.date => {
                agree += 1;
                r.date
            }
            Some(t) => {
                date_notes.push(format!(
                    "row {}: {} terminated {} in CHD, change dated {} here (CHD wins)",
                    r.row, r.old, t, r.date
                ));
                next_day(t)
            }
            None => r.date,
        };
        b.ensure(r.old, &r.old_name)
            .valid_to
            .get_or_insert(prev_day(date));
        let new_rec = b.ensure(*new, new_name);
        if new_rec.valid_from.is_none() && !b.has_dated_names.contains(new) {
            b.areas
                .get_mut(new)
                .unwrap_or_else(|| unreachable!("ensured"))
                .valid_from = Some(date);
        }
        let kind = match r.kind {
            ChangeType::NewCode => ChangeKind::Recode,
            ChangeType::NewGeo => ChangeKind::BoundaryChange,
            _ => ChangeKind::Merger,
        };
        let s = Succession {
            date,
            successors: vec![*new],
            kind,
            source: LAD_CHANGES.reader,
        };
        if b.history.add(r.old, s) {
            successions += 1;
        } else {
            date_notes.push(format!(
                "row {}: {} has two successions here; the first is kept",
                r.row, r.old
            ));
        }
    }
    audits.note(
        LAD_CHANGES,
        format!(
            "{successions} successions (merger, new_code, and new_geo to a non-E47 code, including the 2024 \
             combined-authority merger; effective 1 April of `start`); {} combined-authority rows (new_geo/merger to \
             E47, applied over drkane's CAUTHCD); {agree} dates agree with CHD termination dates; disagreements: {}",
            ca_events.len(),
            if date_notes.is_empty() { "none".to_string() } else { list(&date_notes, 10) }
        ),
    );
    ca_events
}

/// Step 2b: drkane former → current codes not already covered by changes.csv.
pub(super) fn drkane_successions(b: &mut Builder, l: &Lookups, audits: &mut AuditSet) {
    let mut added = Vec::new();
    let mut undated = Vec::new();
    for r in l.la.iter().filter(|r| !r.current && r.active.0 != r.code) {
        if b.history.get(&r.code).is_some() {
            continue;
        }
        let active = r.active.0;
        let date = b
            .areas
            .get(&r.code)
            .and_then(|a| a.valid_to)
            .map(next_day)
            .or_else(|| b.areas.get(&active).and_then(|a| a.valid_from));
        let Some(date) = date else {
            undated.push(format!("{} → {}", r.code, active));
            continue;
        };
        let same_name = normalise(&r.name) == normalise(&r.active.1);
        let kind = if same_name {
            ChangeKind::Recode
        } else {
            ChangeKind::Merger
        };
        b.history.add(
            r.code,
            Succession {
                date,
                successors: vec![active],
                kind,
                source: LA_ALL_CODES.reader,
            },
        );
        added.push(format!("{} → {} ({date})", r.code, active));
    }
    audits.note(
        LA_ALL_CODES,
        format!(
            "former → current codes not in changes.csv, added as successions dated by CHD: {}{}",
            if added.is_empty() {
                "none".to_string()
            } else {
                list(&added, 10)
            },
            if undated.is_empty() {
                String::new()
            } else {
                format!("; left out for want of a date: {}", undated.join(", "))
            }
        ),
    );
}

/// Step 2c: CHD re-codes: a terminated LAD code and a code of the same name in force the next day.
pub(super) fn chd_same_name_recodes(b: &mut Builder, l: &Lookups, audits: &mut AuditSet) {
    let mut by_name_from: HashMap<(String, NaiveDate), Vec<AreaCode>> = HashMap::new();
    for r in &l.chd {
        by_name_from
            .entry((normalise(&r.name), r.from))
            .or_default()
            .push(r.code);
    }
    let mut added = Vec::new();
    let mut confirmed = 0;
    let mut conflicts = Vec::new();
    let mut terminated: Vec<&AreaRecord> = b
        .areas
        .values()
        .filter(|r| {
            b.has_dated_names.contains(&r.code) && is_lad_like(&r.code) && r.valid_to.is_some()
        })
        .collect();
    terminated.sort_by_key(|r| r.code);
    let mut new = Vec::new();
    for rec in terminated {
        let Some(to) = rec.valid_to else { continue };
        let day = next_day(to);
        let Some(cands) = by_name_from.get(&(normalise(&rec.name), day)) else {
            continue;
        };
        let cands: Vec<AreaCode> = cands
            .iter()
            .filter(|c| **c != rec.code && is_lad_like(c))
            .copied()
            .collect();
        let [cand] = cands.as_slice() else { continue };
        match b.history.get(&rec.code) {
            Some(s) if s.successors == [*cand] => confirmed += 1,
            Some(s) => conflicts.push(format!(
                "{} → {:?} elsewhere, same name as {cand}",
                rec.code, s.successors
            )),
            None => new.push((rec.code, *cand, day)),
        }
    }
    for (old, cand, day) in new {
        b.history.add(
            old,
            Succession {
                date: day,
                successors: vec![cand],
                kind: ChangeKind::Recode,
                source: CHD_HISTORY.reader,
            },
        );
        added.push(format!("{} → {} ({day})", b.label(&old), cand));
    }
    audits.note(
        CHD_HISTORY,
        format!(
            "same-name re-codes (terminated code, same name in force the next day): {confirmed} confirm successors from \
             other lookups; added: {}; conflicts: {}",
            if added.is_empty() { "none".to_string() } else { list(&added, 10) },
            if conflicts.is_empty() { "none".to_string() } else { list(&conflicts, 10) }
        ),
    );
}

/// Step 2d and 4: old-style codes, and the 2009 mergers from the 2008 crosswalk.
pub(super) fn legacy_codes(b: &mut Builder, l: &Lookups, audits: &mut AuditSet) {
    let mut mergers = 0;
    let mut confirmed = 0;
    let mut problems = Vec::new();
    for r in &l.lad08 {
        if !b.areas.contains_key(&r.gss) {
            problems.push(format!("row {}: {} is not in CHD", r.row, r.gss));
            continue;
        }
        let gss_to = b.areas[&r.gss].valid_to;
        let legacy = b.ensure(r.old, &r.name);
        legacy.equivalent = Some(r.gss);
        legacy.valid_to = gss_to;
        let gss = b
            .areas
            .get_mut(&r.gss)
            .unwrap_or_else(|| unreachable!("checked above"));
        gss.equivalent.get_or_insert(r.old);
        let ended_2009 = gss_to.is_some_and(|t| next_day(t) == APRIL_2009);
        if !ended_2009 || r.lad21 == r.gss {
            continue;
        }
        // The code in force on 1 April 2009 on the line of the LAD 2021 (e.g. E06000048 for E06000057).
        let mut line = vec![r.lad21];
        let mut i = 0;
        while i < line.len() && i < 64 {
            for p in b.history.predecessors(&line[i]).to_vec() {
                if !line.contains(&p) {
                    line.push(p);
                }
            }
            i += 1;
        }
        let in_force: Vec<AreaCode> = line
            .into_iter()
            .filter(|c| b.in_force(c, APRIL_2009))
            .collect();
        match (b.history.get(&r.gss), in_force.as_slice()) {
            (Some(s), [one]) if s.successors == [*one] => confirmed += 1,
            (Some(s), _) => problems.push(format!(
                "row {}: {} succeeded by {:?} elsewhere; LAD21 {} here",
                r.row, r.gss, s.successors, r.lad21
            )),
            (None, [one]) => {
                b.history.add(
                    r.gss,
                    Succession {
                        date: APRIL_2009,
                        successors: vec![*one],
                        kind: ChangeKind::Merger,
                        source: LAD08_DERIVED.reader,
                    },
                );
                mergers += 1;
            }
            (None, other) => problems.push(format!(
                "row {}: no single code in force on 2009-04-01 for LAD21 {} ({other:?})",
                r.row, r.lad21
            )),
        }
    }
    audits.note(
        LAD08_DERIVED,
        format!(
            "{} old-style codes → GSS; {mergers} districts terminated 2009-03-31 merged on 2009-04-01 into the code in \
             force then on their max-overlap LAD21's line; {confirmed} confirm successors from other lookups; \
             problems: {}",
            l.lad08.len(),
            if problems.is_empty() { "none".to_string() } else { list(&problems, 10) }
        ),
    );
    let mut agree = 0;
    let mut added = 0;
    let mut disagree = Vec::new();
    for r in &l.lad11 {
        match b.areas.get(&r.old).and_then(|a| a.equivalent) {
            Some(g) if g == r.gss => agree += 1,
            Some(g) => disagree.push(format!(
                "{}: {} here, {g} in the 2008 crosswalk (the crosswalk wins)",
                r.old, r.gss
            )),
            None => {
                let gss_to = b.areas.get(&r.gss).and_then(|a| a.valid_to);
                if !b.areas.contains_key(&r.gss) {
                    b.ensure(r.gss, &r.name);
                }
                let legacy = b.ensure(r.old, &r.name);
                legacy.equivalent = Some(r.gss);
                legacy.valid_to = gss_to;
                b.areas
                    .get_mut(&r.gss)
                    .unwrap_or_else(|| unreachable!("ensured"))
                    .equivalent
                    .get_or_insert(r.old);
                added += 1;
            }
        }
    }
    audits.note(
        LAD11_OLD_CODES,
        format!(
            "{agree} old-style codes agree with the 2008 crosswalk; {added} added (Wales, Scotland); disagreements: {}",
            if disagree.is_empty() { "none".to_string() } else { list(&disagree, 10) }
        ),
    );
}

/// Step 2e: terminated counties succeed to the codes that succeeded their districts.
pub(super) fn county_successions(b: &mut Builder, audits: &mut AuditSet) {
    let mut counties: Vec<(AreaCode, NaiveDate)> = b
        .areas
        .values()
        .filter(|r| r.code.entity() == "E10")
        .filter_map(|r| Some((r.code, r.valid_to?)))
        .collect();
    counties.sort();
    let mut notes = Vec::new();
    for (county, to) in counties {
        if b.history.get(&county).is_some() {
            continue;
        }
        let day = next_day(to);
        let districts: Vec<AreaCode> = b
            .areas
            .values()
            .filter(|r| {
                r.code.entity() == "E07" && r.parents.utla == Some(county) && r.in_force_on(to)
            })
            .map(|r| r.code)
            .collect();
        let mut successors: Vec<AreaCode> = districts
            .iter()
            .flat_map(|d| b.history.forward(*d, Some(day)))
            .collect();
        successors.sort();
        successors.dedup();
        if successors.is_empty() || successors.iter().any(|s| !b.in_force(s, day)) {
            notes.push(format!(
                "{}: no successor found from its {} districts",
                b.label(&county),
                districts.len()
            ));
            continue;
        }
        let kind = if successors.len() > 1 {
            ChangeKind::Split
        } else {
            ChangeKind::Merger
        };
        let names: Vec<String> = successors.iter().map(|s| b.label(s)).collect();
        notes.push(format!(
            "{} ({day}) → {}{}",
            b.label(&county),
            names.join(" + "),
            if successors.len() > 1 { " (split)" } else { "" }
        ));
        b.history.add(
            county,
            Succession {
                date: day,
                successors,
                kind,
                source: CHD_HISTORY.reader,
            },
        );
    }
    audits.note(
        CHD_HISTORY,
        format!(
            "terminated counties, successors derived from their districts: {}",
            list(&notes, 20)
        ),
    );
}

/// Cross-checks that need the whole history: drkane's current code and the LAD 2021 of the 2008
/// crosswalk against the successions.
pub(super) fn final_cross_checks(b: &Builder, l: &Lookups, audits: &mut AuditSet) {
    let bridge_view = |c: AreaCode, until: Option<NaiveDate>| b.history.forward(c, until);
    let mut agree = 0;
    let mut disagree = Vec::new();
    for r in l.la.iter().filter(|r| !r.current) {
        let end = bridge_view(r.code, None);
        if end == [r.active.0] {
            agree += 1;
        } else {
            disagree.push(format!(
                "{} → {:?} by the successions, {} here",
                r.code, end, r.active.0
            ));
        }
    }
    audits.note(
        LA_ALL_CODES,
        format!(
            "{agree} of {} former codes reach their LADCD_ACTIVE through the dated successions; disagreements: {}",
            l.la.iter().filter(|r| !r.current).count(),
            if disagree.is_empty() { "none".to_string() } else { list(&disagree, 10) }
        ),
    );
    let end_2021 = NaiveDate::from_ymd_opt(2021, 12, 31);
    let mut agree = 0;
    let mut disagree = Vec::new();
    for r in &l.lad08 {
        let at = bridge_view(r.gss, end_2021);
        if at == [r.lad21] {
            agree += 1;
        } else {
            disagree.push(format!(
                "{} {} → {:?} as at 2021-12-31, max overlap {}",
                r.old, r.gss, at, r.lad21
            ));
        }
    }
    audits.note(
        LAD08_DERIVED,
        format!(
            "{agree} of {} districts recode as at 2021-12-31 to their max-overlap LAD21; disagreements: {}",
            l.lad08.len(),
            if disagree.is_empty() { "none".to_string() } else { list(&disagree, 10) }
        ),
    );
}
