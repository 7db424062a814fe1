//! Code history: which codes succeeded which, on what date, and walking those chains.
//!
//! Every terminated code has at most one [`Succession`]: the date its successors took over and
//! the successor codes (one for a merger or re-code, several for a split). Chains are followed
//! forward to the newest codes or to the codes in force on a date.

use std::collections::HashMap;
use std::fmt;

use chrono::NaiveDate;
use migkit_core::AreaCode;

/// What kind of change ended a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    /// The area was absorbed, whole, into a new or existing area (e.g. Bridgnorth into Shropshire, 2009).
    Merger,
    /// The same area got a new code (e.g. Barnsley E08000016 → E08000038, 2025).
    Recode,
    /// A minor boundary change that came with a new code (e.g. Glasgow City S12000046 → S12000049, 2019).
    BoundaryChange,
    /// The area was divided between several successors (e.g. Northamptonshire county, 2021).
    Split,
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Merger => "merger",
            Self::Recode => "re-code",
            Self::BoundaryChange => "boundary change",
            Self::Split => "split",
        })
    }
}

/// How a code ended: the date its successors took over and who they are.
#[derive(Debug, Clone, PartialEq)]
pub struct Succession {
    /// The first day the successors were in force (the day after the old code was terminated).
    pub date: NaiveDate,
    /// The successor codes, sorted; more than one only for [`ChangeKind::Split`].
    pub successors: Vec<AreaCode>,
    /// What happened.
    pub kind: ChangeKind,
    /// The lookup the change comes from (a reader id such as `"lookup_lad_changes"`).
    pub source: &'static str,
}

/// The successions of all codes, with the reverse (predecessor) index.
#[derive(Debug, Clone, Default)]
pub(crate) struct History {
    successions: HashMap<AreaCode, Succession>,
    predecessors: HashMap<AreaCode, Vec<AreaCode>>,
}

impl History {
    /// Records how `code` ended. Returns false (and changes nothing) if it already has a succession.
    pub(crate) fn add(&mut self, code: AreaCode, mut succession: Succession) -> bool {
        if self.successions.contains_key(&code) {
            return false;
        }
        succession.successors.sort();
        succession.successors.dedup();
        for s in &succession.successors {
            let preds = self.predecessors.entry(*s).or_default();
            preds.push(code);
            preds.sort();
        }
        self.successions.insert(code, succession);
        true
    }

    /// How `code` ended, if it did.
    pub(crate) fn get(&self, code: &AreaCode) -> Option<&Succession> {
        self.successions.get(code)
    }

    /// Codes whose succession names `code`, sorted.
    pub(crate) fn predecessors(&self, code: &AreaCode) -> &[AreaCode] {
        self.predecessors
            .get(code)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Number of codes with a succession.
    pub(crate) fn len(&self) -> usize {
        self.successions.len()
    }

    /// Follows successions from `code` for changes that took effect on or before `until` (all of
    /// them if `None`), returning the codes reached, sorted and without duplicates.
    pub(crate) fn forward(&self, code: AreaCode, until: Option<NaiveDate>) -> Vec<AreaCode> {
        let mut out = Vec::new();
        let mut stack = vec![(code, 0usize)];
        while let Some((c, depth)) = stack.pop() {
            match self.successions.get(&c) {
                // The depth limit guards against a cycle in a malformed lookup.
                Some(s) if depth < 64 && until.is_none_or(|d| s.date <= d) => {
                    stack.extend(s.successors.iter().map(|n| (*n, depth + 1)));
                }
                _ => out.push(c),
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// The first split met when following successions from `code` up to `until`, if any.
    pub(crate) fn first_split(
        &self,
        code: AreaCode,
        until: Option<NaiveDate>,
    ) -> Option<(AreaCode, &Succession)> {
        let mut current = code;
        for _ in 0..64 {
            let s = self.successions.get(&current)?;
            if until.is_some_and(|d| s.date > d) {
                return None;
            }
            match s.successors.as_slice() {
                [one] => current = *one,
                _ => return Some((current, s)),
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{code, date};

    fn succ(d: &str, to: &[&str], kind: ChangeKind) -> Succession {
        Succession {
            date: date(d),
            successors: to.iter().map(|c| code(c)).collect(),
            kind,
            source: "test",
        }
    }

    #[test]
    fn chains_follow_dates() {
        let mut h = History::default();
        // Taunton Deane → Somerset West and Taunton (2019) → Somerset (2023).
        assert!(h.add(
            code("E07000190"),
            succ("2019-04-01", &["E07000246"], ChangeKind::Merger)
        ));
        assert!(h.add(
            code("E07000246"),
            succ("2023-04-01", &["E06000066"], ChangeKind::Merger)
        ));
        assert!(!h.add(
            code("E07000190"),
            succ("2020-04-01", &["E06000066"], ChangeKind::Merger)
        ));
        assert_eq!(h.forward(code("E07000190"), None), vec![code("E06000066")]);
        assert_eq!(
            h.forward(code("E07000190"), Some(date("2021-12-31"))),
            vec![code("E07000246")]
        );
        assert_eq!(
            h.forward(code("E07000190"), Some(date("2019-03-31"))),
            vec![code("E07000190")]
        );
        assert_eq!(h.predecessors(&code("E06000066")), &[code("E07000246")]);
        assert_eq!(h.len(), 2);
    }

    #[test]
    fn splits_are_found_and_cycles_stop() {
        let mut h = History::default();
        h.add(
            code("E10000021"),
            succ("2021-04-01", &["E06000062", "E06000061"], ChangeKind::Split),
        );
        assert_eq!(
            h.forward(code("E10000021"), None),
            vec![code("E06000061"), code("E06000062")]
        );
        let (at, s) = h.first_split(code("E10000021"), None).unwrap();
        assert_eq!((at, s.kind), (code("E10000021"), ChangeKind::Split));
        assert!(
            h.first_split(code("E10000021"), Some(date("2020-01-01")))
                .is_none()
        );
        h.add(
            code("E07000001"),
            succ("2009-04-01", &["E07000002"], ChangeKind::Recode),
        );
        h.add(
            code("E07000002"),
            succ("2009-04-01", &["E07000001"], ChangeKind::Recode),
        );
        assert!(!h.forward(code("E07000001"), None).is_empty());
    }
}
