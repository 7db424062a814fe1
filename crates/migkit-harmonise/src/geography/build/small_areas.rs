//! West Midlands MSOAs and LSOAs.

use std::collections::{HashMap, HashSet};

use migkit_core::AreaCode;

use super::{Builder, CENSUS_2021, list, prev_day};
use crate::geography::lookups::{AuditSet, Lookups, WM_LSOA11_LAD, WM_LSOA21_LAD, WM_MSOA_LA};

/// Step 5: MSOAs and LSOAs of the West Midlands.
pub(super) fn small_areas(b: &mut Builder, l: &Lookups, audits: &mut AuditSet) {
    let end_2011 = prev_day(CENSUS_2021);
    let mut msoa21_by_name = HashMap::new();
    let mut msoa11_by_name = HashMap::new();
    let mut lad_problems = Vec::new();
    let check_lad = |b: &Builder,
                     lad: &AreaCode,
                     region: Option<AreaCode>,
                     what: &str,
                     problems: &mut Vec<String>| {
        match b.areas.get(lad) {
            Some(r) if r.valid_to.is_none() && (region.is_none() || r.parents.region == region) => {
            }
            _ => problems.push(format!(
                "{what}: LAD {lad} is not a current LAD in region {region:?}"
            )),
        }
    };
    for r in &l.msoa {
        check_lad(
            b,
            &r.lad,
            r.region,
            &format!("MSOA {}", r.code),
            &mut lad_problems,
        );
        let ca = b
            .areas
            .get(&r.lad)
            .and_then(|a| a.parents.combined_authority);
        let rec = b.ensure(r.code, &r.name);
        rec.name = r.name.clone();
        rec.valid_from = (!r.in2011).then_some(CENSUS_2021);
        rec.valid_to = (!r.in2021).then_some(end_2011);
        rec.parents.lad = Some(r.lad);
        rec.parents.utla = r.utla;
        rec.parents.region = r.region;
        rec.parents.country = r.country.or(rec.parents.country);
        rec.parents.combined_authority = ca;
        let (code, hcl, name11) = (r.code, r.hcl_name.clone(), r.name11.clone());
        b.add_other_name(code, &hcl);
        b.add_other_name(code, &name11);
        if r.in2021 {
            msoa21_by_name.insert(r.name.clone(), r.code);
        }
        if r.in2011 {
            msoa11_by_name.insert(r.name11.clone(), r.code);
        }
    }
    audits.note(
        WM_MSOA_LA,
        format!(
            "{} MSOAs ({} in 2011, {} in 2021; 2011-only codes end 2021-03-20, 2021-only begin 2021-03-21, census day); \
             combined authority taken from the LAD; LAD checks: {}",
            l.msoa.len(),
            l.msoa.iter().filter(|m| m.in2011).count(),
            l.msoa.iter().filter(|m| m.in2021).count(),
            if lad_problems.is_empty() { "every LADCD_ACTIVE is a current LAD in the row's region".to_string() } else { list(&lad_problems, 10) }
        ),
    );
    let in11: HashMap<AreaCode, &crate::geography::lookups::small_areas::LsoaRow> =
        l.lsoa11.iter().map(|r| (r.code, r)).collect();
    let in21: HashSet<AreaCode> = l.lsoa21.iter().map(|r| r.code).collect();
    let mut problems = Vec::new();
    let mut no_msoa = 0;
    for (r, is21) in l.lsoa21.iter().map(|r| (r, true)).chain(
        l.lsoa11
            .iter()
            .filter(|r| !in21.contains(&r.code))
            .map(|r| (r, false)),
    ) {
        check_lad(
            b,
            &r.lad,
            r.region,
            &format!("LSOA {}", r.code),
            &mut problems,
        );
        let old = in11.get(&r.code);
        if let Some(o) = old
            && o.lad != r.lad
        {
            problems.push(format!(
                "LSOA {} in {} (2021 file) but {} (2011 file)",
                r.code, r.lad, o.lad
            ));
        }
        let stem = r.name.get(..r.name.len().saturating_sub(1)).unwrap_or("");
        let msoa = if is21 {
            msoa21_by_name.get(stem)
        } else {
            msoa11_by_name.get(stem)
        }
        .copied();
        if msoa.is_none() {
            no_msoa += 1;
        }
        let ca = b
            .areas
            .get(&r.lad)
            .and_then(|a| a.parents.combined_authority);
        let rec = b.ensure(r.code, &r.name);
        rec.name = r.name.clone();
        rec.valid_from = (is21 && old.is_none()).then_some(CENSUS_2021);
        rec.valid_to = (!is21).then_some(end_2011);
        rec.parents.msoa = msoa;
        rec.parents.lad = Some(r.lad);
        rec.parents.utla = r.utla;
        rec.parents.region = r.region;
        rec.parents.combined_authority = ca;
        if let Some(o) = old {
            let n = o.name.clone();
            b.add_other_name(r.code, &n);
        }
    }
    audits.note(
        WM_LSOA21_LAD,
        format!(
            "{} LSOA21 codes ({} new in 2021, beginning 2021-03-21, census day); LAD, upper tier and region taken from \
             here, combined authority from the LAD",
            l.lsoa21.len(),
            l.lsoa21.iter().filter(|r| !in11.contains_key(&r.code)).count()
        ),
    );
    audits.note(
        WM_LSOA11_LAD,
        format!(
            "{} LSOA11 codes, {} also in the 2021 geography (the 2021 file's LAD and name win where both list a code); \
             MSOA parent by name stem (\"Birmingham 067A\" ⊂ \"Birmingham 067\"), {no_msoa} LSOAs without a match; \
             problems: {}",
            l.lsoa11.len(),
            l.lsoa11.iter().filter(|r| in21.contains(&r.code)).count(),
            if problems.is_empty() { "none".to_string() } else { list(&problems, 10) }
        ),
    );
}
