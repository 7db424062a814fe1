//! The geography bridge: every area code the lookups know, their history, names and parents.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use migkit_core::{AreaCode, AreaCodeKind, Error, GeographyLevel, Location, Result};

use super::history::{History, Succession};
use super::names::{DEFAULT_NAME_PREFERENCE, NameIndex, NameKind, NameMatch};
use crate::audit::FileAudit;

/// The vintage to recode to: the codes in force on a date, or the newest known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Vintage {
    /// The newest codes in the lookups.
    #[default]
    Newest,
    /// The codes in force on a date.
    AsAt(NaiveDate),
}

/// The areas that contain an area. Fields that do not apply (or are unknown) are `None`.
///
/// For current codes these are the current parents; for terminated codes, the parents while the
/// code was in force (e.g. the county of a former district).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parents {
    /// For an LSOA: its MSOA (by the ONS naming convention "Birmingham 067A" ⊂ "Birmingham 067").
    pub msoa: Option<AreaCode>,
    /// For an MSOA or LSOA: the current lower-tier local authority.
    pub lad: Option<AreaCode>,
    /// Upper tier: the county (E10) of a two-tier district, the code itself for a unitary,
    /// metropolitan or London authority (and Welsh, Scottish, Northern Irish councils).
    pub utla: Option<AreaCode>,
    /// The current combined authority (E47), if any.
    pub combined_authority: Option<AreaCode>,
    /// The English region (E12).
    pub region: Option<AreaCode>,
    /// The country (E92000001, W92000004, S92000003, N92000002).
    pub country: Option<AreaCode>,
}

/// What is known of one area code.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaRecord {
    /// The code.
    pub code: AreaCode,
    /// Official name (the newest, for a renamed code).
    pub name: String,
    /// Level. Unitary authorities are [`GeographyLevel::Lad`] (they are also their own upper tier).
    pub level: GeographyLevel,
    /// The first day the code was in force; `None` if it predates the GSS coding system
    /// (1 January 2009, which the Code History Database gives for every code that already existed)
    /// or is not known. For 2021 Census small areas new in 2021: census day, 21 March 2021.
    pub valid_from: Option<NaiveDate>,
    /// The last day the code was in force; `None` while it is live. For 2011 Census small areas
    /// that are not in the 2021 geography: 20 March 2021.
    pub valid_to: Option<NaiveDate>,
    /// The areas that contain it.
    pub parents: Parents,
    /// Former official names, alternative names (council and Welsh names) and other spellings.
    pub other_names: Vec<String>,
    /// The same area under the other coding scheme: the GSS code of an old-style code (`39UB` →
    /// `E07000182`) or the old-style code of a GSS code.
    pub equivalent: Option<AreaCode>,
}

impl AreaRecord {
    /// A record with no dates, parents or other names.
    pub fn new(code: AreaCode, name: impl Into<String>, level: GeographyLevel) -> Self {
        Self {
            code,
            name: name.into(),
            level,
            valid_from: None,
            valid_to: None,
            parents: Parents::default(),
            other_names: Vec::new(),
            equivalent: None,
        }
    }

    /// True if the code was in force on `date`.
    pub fn in_force_on(&self, date: NaiveDate) -> bool {
        self.valid_from.is_none_or(|f| f <= date) && self.valid_to.is_none_or(|t| date <= t)
    }

    /// True if the code is in force in `vintage` (for [`Vintage::Newest`]: not terminated).
    pub fn in_vintage(&self, vintage: Vintage) -> bool {
        match vintage {
            Vintage::Newest => self.valid_to.is_none(),
            Vintage::AsAt(d) => self.in_force_on(d),
        }
    }
}

/// The result of recoding one code to a vintage.
#[derive(Debug, Clone, PartialEq)]
pub enum Recode {
    /// The code is current in the target vintage.
    Same(AreaCode),
    /// The code was replaced (merged or re-coded) by one code.
    Replaced(AreaCode),
    /// The code was split; the shares are the stated weights and sum to 1.
    Split(Vec<(AreaCode, f64)>),
}

impl Recode {
    /// The single code of `Same` or `Replaced`; `None` for a split.
    pub fn code(&self) -> Option<AreaCode> {
        match self {
            Self::Same(c) | Self::Replaced(c) => Some(*c),
            Self::Split(_) => None,
        }
    }
}

/// The level a code belongs to, from its GSS entity (old-style district codes are LADs).
///
/// `None` for entities the bridge does not place (e.g. output areas, pseudo-areas).
pub fn level_of_code(code: &AreaCode) -> Option<GeographyLevel> {
    if code.kind() == AreaCodeKind::Legacy {
        return Some(GeographyLevel::Lad);
    }
    Some(match code.entity() {
        "E01" | "W01" => GeographyLevel::Lsoa,
        "E02" | "W02" => GeographyLevel::Msoa,
        "E06" | "E07" | "E08" | "E09" | "W06" | "S12" | "N09" => GeographyLevel::Lad,
        "E10" | "E11" => GeographyLevel::Utla,
        "E47" => GeographyLevel::CombinedAuthority,
        "E12" => GeographyLevel::Region,
        "E92" | "W92" | "S92" | "N92" | "K02" | "K03" | "K04" => GeographyLevel::Country,
        _ => return None,
    })
}

/// Every level a code counts as: a unitary, metropolitan or London authority (and a Welsh,
/// Scottish or Northern Irish council) is both a LAD and its own upper tier.
pub fn levels_of_code(code: &AreaCode) -> Vec<GeographyLevel> {
    match code.entity() {
        "E06" | "E08" | "E09" | "W06" | "S12" | "N09" => {
            vec![GeographyLevel::Lad, GeographyLevel::Utla]
        }
        _ => level_of_code(code).into_iter().collect(),
    }
}

/// Recodes area codes of any vintage to a chosen one, matches names to codes, and rolls areas up.
///
/// Built from the lookups in the shared data folder ([`Bridge::from_data_dir`]); see
/// [`crate::geography`] for the lookups and the rules that combine them.
///
/// # Examples
///
/// ```
/// use migkit_core::{AreaCode, GeographyLevel, NaiveDate};
/// use migkit_harmonise::{Bridge, Recode, Vintage};
///
/// let (bridge, audits) = Bridge::from_data_dir(&migkit_harmonise::default_data_dir())?;
/// assert!(audits.iter().all(|a| a.check_rows().is_ok()));
///
/// // The five Shropshire districts merged into Shropshire unitary on 1 April 2009.
/// let shropshire: AreaCode = "E06000051".parse()?;
/// for old in ["39UB", "39UC", "39UD", "39UE", "39UF", "E07000182", "E07000186"] {
///     let old: AreaCode = old.parse()?;
///     assert_eq!(bridge.recode(&old, Vintage::Newest)?, Recode::Replaced(shropshire));
/// }
/// assert_eq!(bridge.recode(&shropshire, Vintage::Newest)?, Recode::Same(shropshire));
///
/// // Craven was a district until North Yorkshire became unitary in April 2023.
/// let craven: AreaCode = "E07000163".parse()?;
/// let end_2021 = Vintage::AsAt(NaiveDate::from_ymd_opt(2021, 12, 31).unwrap());
/// assert_eq!(bridge.recode(&craven, end_2021)?, Recode::Same(craven));
/// assert_eq!(bridge.recode(&craven, Vintage::Newest)?, Recode::Replaced("E06000065".parse()?));
///
/// // Names as the Home Office writes them, and rollups.
/// let on = NaiveDate::from_ymd_opt(2023, 9, 30).unwrap();
/// assert_eq!(bridge.code_for_name("Herefordshire", on)?.as_str(), "E06000019");
/// let west_midlands: AreaCode = "E12000005".parse()?;
/// assert_eq!(bridge.members(&west_midlands, GeographyLevel::Lad, Vintage::Newest).len(), 30);
/// # Ok::<(), migkit_core::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Bridge {
    pub(crate) areas: HashMap<AreaCode, AreaRecord>,
    pub(crate) history: History,
    pub(crate) names: NameIndex,
}

impl Bridge {
    /// A bridge that knows no areas.
    pub fn empty() -> Self {
        Self::default()
    }

    /// Builds the bridge from the lookups in a data folder, with the audit of each lookup file
    /// (in the order of [`super::lookups::LOOKUP_FILES`]).
    ///
    /// Every row of every lookup is either used or rejected with a reason; cross-checks between
    /// lookups, and which lookup wins where they disagree, are written as notes on the audits.
    ///
    /// # Errors
    /// A lookup file that is missing ([`Error::Io`] naming it) or that has a missing column, an
    /// invalid code or an invalid date ([`Error::Input`] naming file, row and column).
    pub fn from_data_dir(dir: &Path) -> Result<(Self, Vec<FileAudit>)> {
        let (lookups, mut audits) = super::lookups::read_all(dir)?;
        let bridge = super::build::build(&lookups, &mut audits)?;
        Ok((bridge, audits.0))
    }

    /// What is known of a code.
    pub fn area(&self, code: &AreaCode) -> Option<&AreaRecord> {
        self.areas.get(code)
    }

    /// The official name of a code.
    pub fn name(&self, code: &AreaCode) -> Option<&str> {
        self.areas.get(code).map(|r| r.name.as_str())
    }

    /// Number of codes known (all levels, all vintages, old-style codes included).
    pub fn len(&self) -> usize {
        self.areas.len()
    }

    /// True if the bridge knows no codes.
    pub fn is_empty(&self) -> bool {
        self.areas.is_empty()
    }

    /// Every record, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &AreaRecord> {
        self.areas.values()
    }

    /// How a terminated code ended (date, successors, kind of change), if it did.
    pub fn succession(&self, code: &AreaCode) -> Option<&Succession> {
        self.history.get(code)
    }

    /// Codes that were merged into, re-coded to or split into `code`, sorted.
    pub fn predecessors(&self, code: &AreaCode) -> &[AreaCode] {
        self.history.predecessors(code)
    }

    fn record(&self, code: &AreaCode) -> Result<&AreaRecord> {
        self.areas.get(code).ok_or_else(|| Error::UnknownArea {
            code: code.to_string(),
            context: String::new(),
        })
    }

    fn label(&self, code: &AreaCode) -> String {
        match self.name(code) {
            Some(name) => format!("{code} {name}"),
            None => code.to_string(),
        }
    }

    fn labels(&self, codes: &[AreaCode]) -> String {
        let list: Vec<String> = codes.iter().map(|c| self.label(c)).collect();
        list.join(", ")
    }

    /// The codes that cover `code`'s area in `vintage`: one code unless the area was split.
    ///
    /// Old-style codes are first read as their GSS equivalents. Successions are followed forward
    /// (for [`Vintage::AsAt`], those that took effect on or before the date). A code that came into
    /// force after the date is followed back through a pure re-code (same area, new code); any
    /// other backward step would need splitting a merged area, and is an error.
    ///
    /// # Errors
    /// [`Error::UnknownArea`] for a code in no lookup; [`Error::Input`] (with the area) for a code
    /// that cannot be placed in the vintage (terminated with no known successor, or created
    /// by a merger after the date).
    pub fn successors(&self, code: &AreaCode, vintage: Vintage) -> Result<Vec<AreaCode>> {
        let rec = self.record(code)?;
        let start = if code.kind() == AreaCodeKind::Legacy {
            rec.equivalent.ok_or_else(|| {
                Error::input(
                    Location::default().area(code.to_string()),
                    format!(
                        "old-style code {} has no GSS equivalent in the lookups",
                        self.label(code)
                    ),
                )
            })?
        } else {
            *code
        };
        let until = match vintage {
            Vintage::Newest => None,
            Vintage::AsAt(d) => Some(d),
        };
        let mut out = Vec::new();
        for c in self.history.forward(start, until) {
            out.push(self.in_vintage(code, c, vintage, 0)?);
        }
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// Checks that `c` (reached from `asked`) is in force in `vintage`, stepping back through pure
    /// re-codes if it came into force after the date.
    fn in_vintage(
        &self,
        asked: &AreaCode,
        c: AreaCode,
        vintage: Vintage,
        depth: usize,
    ) -> Result<AreaCode> {
        let rec = self.record(&c)?;
        if rec.in_vintage(vintage) {
            return Ok(c);
        }
        let at = || Location::default().area(asked.to_string());
        let via = if c == *asked {
            String::new()
        } else {
            format!(" (reached via {})", self.label(&c))
        };
        let target = match vintage {
            Vintage::Newest => "the newest codes".to_string(),
            Vintage::AsAt(d) => format!("the codes in force on {d}"),
        };
        if let (Some(from), Vintage::AsAt(d)) = (rec.valid_from, vintage)
            && d < from
        {
            let preds = self.history.predecessors(&c);
            if let [p] = preds
                && depth < 64
                && self.history.get(p).is_some_and(|s| s.successors == [c])
            {
                return self.in_vintage(asked, *p, vintage, depth + 1);
            }
            return Err(Error::input(
                at(),
                format!(
                    "{}{via} came into force on {from}, after {d}; {}. Recoding back to an earlier vintage would \
                     divide its area between those codes, which needs weights the lookups do not have; recode to \
                     {from} or later",
                    self.label(&c),
                    if preds.is_empty() {
                        "the lookups do not say what covered its area before".to_string()
                    } else {
                        format!("before that its area was covered by {}", self.labels(preds))
                    }
                ),
            ));
        }
        let end = rec
            .valid_to
            .map(|t| format!(" was terminated on {t} and"))
            .unwrap_or_default();
        let why = if matches!(rec.level, GeographyLevel::Msoa | GeographyLevel::Lsoa) {
            "is a 2011 Census small area that is not in the 2021 geography; the data folder has no 2011→2021 \
             small-area lookup"
                .to_string()
        } else {
            format!("{end} has no successor in the lookups")
        };
        Err(Error::input(
            at(),
            format!(
                "cannot recode to {target}: {}{via} {}",
                self.label(&c),
                why.trim_start()
            ),
        ))
    }

    /// Recodes a code to a vintage.
    ///
    /// `Same` if the code is in force in the vintage; `Replaced` if one other code covers its area
    /// (a merger or re-code, or an old-style code's GSS equivalent). Never returns `Split`: an area
    /// that was split needs weights, see [`Bridge::split`] and [`Bridge::recode_with_weights`].
    ///
    /// # Errors
    /// [`Error::UnknownArea`] naming a code that is in no lookup (e.g. `E07999999`); for a split
    /// area, an error naming the successors and saying that weights are needed; the errors of
    /// [`Bridge::successors`].
    pub fn recode(&self, code: &AreaCode, vintage: Vintage) -> Result<Recode> {
        let codes = self.successors(code, vintage)?;
        match codes.as_slice() {
            [one] if one == code => Ok(Recode::Same(*one)),
            [one] => Ok(Recode::Replaced(*one)),
            many => Err(self.split_error(code, vintage, many, None)),
        }
    }

    fn split_error(
        &self,
        code: &AreaCode,
        vintage: Vintage,
        successors: &[AreaCode],
        missing: Option<&[AreaCode]>,
    ) -> Error {
        let until = match vintage {
            Vintage::Newest => None,
            Vintage::AsAt(d) => Some(d),
        };
        let start = self
            .area(code)
            .and_then(|r| r.equivalent)
            .filter(|_| code.kind() == AreaCodeKind::Legacy)
            .unwrap_or(*code);
        let when = match self.history.first_split(start, until) {
            Some((at, s)) => format!(" ({} split on {})", self.label(&at), s.date),
            None => String::new(),
        };
        let head = format!(
            "{} is covered by {} codes{when}: {}",
            self.label(code),
            successors.len(),
            self.labels(successors)
        );
        match missing {
            None => Error::input(
                Location::default().area(code.to_string()),
                format!(
                    "{head}; recode() cannot choose one. Call Bridge::split (or recode_with_weights) with weights for \
                     these successors, e.g. the population of each successor that lies in the old area"
                ),
            ),
            Some(m) => Error::parameter(
                "weights",
                format!("{head}; weights are missing for {}", self.labels(m)),
            ),
        }
    }

    /// Splits a code's area between the codes that cover it in `vintage`, in proportion to the
    /// weights given for them (e.g. the population of each successor that lies in the old area).
    ///
    /// Returns `(code, share)` pairs sorted by code, shares summing to 1. A code that was not split
    /// returns its one code with share 1 (no weight needed).
    ///
    /// # Errors
    /// An [`Error::InvalidParameter`] for `weights` naming the successors that have no weight, or
    /// if a weight is negative or not finite or all are zero; the errors of [`Bridge::successors`].
    pub fn split(
        &self,
        code: &AreaCode,
        vintage: Vintage,
        weights: &HashMap<AreaCode, f64>,
    ) -> Result<Vec<(AreaCode, f64)>> {
        let codes = self.successors(code, vintage)?;
        if let [one] = codes.as_slice() {
            return Ok(vec![(*one, 1.0)]);
        }
        let missing: Vec<AreaCode> = codes
            .iter()
            .filter(|c| !weights.contains_key(c))
            .copied()
            .collect();
        if !missing.is_empty() {
            return Err(self.split_error(code, vintage, &codes, Some(&missing)));
        }
        let w: Vec<f64> = codes.iter().map(|c| weights[c]).collect();
        if let Some((c, v)) = codes
            .iter()
            .zip(&w)
            .find(|(_, v)| !v.is_finite() || **v < 0.0)
        {
            return Err(Error::parameter(
                "weights",
                format!(
                    "the weight of {} is {v}; weights must be finite and ≥ 0",
                    self.label(c)
                ),
            ));
        }
        let total: f64 = w.iter().sum();
        if total <= 0.0 {
            return Err(Error::parameter(
                "weights",
                format!(
                    "the weights of {} sum to 0; at least one must be > 0",
                    self.labels(&codes)
                ),
            ));
        }
        Ok(codes
            .into_iter()
            .zip(w)
            .map(|(c, v)| (c, v / total))
            .collect())
    }

    /// Recodes with weights for splits: like [`Bridge::recode`], but a split area gives
    /// [`Recode::Split`] with the shares of [`Bridge::split`].
    ///
    /// # Errors
    /// The errors of [`Bridge::split`].
    pub fn recode_with_weights(
        &self,
        code: &AreaCode,
        vintage: Vintage,
        weights: &HashMap<AreaCode, f64>,
    ) -> Result<Recode> {
        let shares = self.split(code, vintage, weights)?;
        Ok(match shares.as_slice() {
            [(one, _)] if one == code => Recode::Same(*one),
            [(one, _)] => Recode::Replaced(*one),
            _ => Recode::Split(shares),
        })
    }

    /// The code of an area named as a publisher names it, in force on `on`.
    ///
    /// Names are normalised ([`super::names::normalise`]: case, punctuation, `&`/`and`, `St.`,
    /// `, County of`/`, City of`, council suffixes, Welsh accents, bilingual `A / B`) and matched
    /// against official, alternative and alias names. Where one name fits several areas the
    /// preference is [`DEFAULT_NAME_PREFERENCE`]: upper tier (county or unitary) first, because
    /// the Home Office's UASC tables are at children's-services level; use
    /// [`Bridge::code_for_name_at_level`] or [`Bridge::match_name`] to choose otherwise.
    ///
    /// Codes in force on `on` are preferred; if no code of that name was in force then, the one
    /// nearest in time is returned (publishers keep listing abolished areas, and some list new
    /// ones for earlier quarters); [`Bridge::match_name`] says which happened.
    ///
    /// # Errors
    /// [`Error::UnknownArea`] naming the name if it matches nothing (Northern Irish Health and
    /// Social Care Trusts are not local authorities and always give this error); an
    /// [`Error::InvalidParameter`] if it fits two codes equally well.
    pub fn code_for_name(&self, name: &str, on: NaiveDate) -> Result<AreaCode> {
        self.match_name(name, on, DEFAULT_NAME_PREFERENCE)
            .map(|m| m.code)
    }

    /// Like [`Bridge::code_for_name`], but only areas at `level` (a unitary authority counts as
    /// both [`GeographyLevel::Lad`] and [`GeographyLevel::Utla`]).
    ///
    /// # Errors
    /// As [`Bridge::code_for_name`]; the [`Error::UnknownArea`] says if the name fits areas at
    /// other levels.
    pub fn code_for_name_at_level(
        &self,
        name: &str,
        on: NaiveDate,
        level: GeographyLevel,
    ) -> Result<AreaCode> {
        self.match_name(name, on, &[level]).map(|m| m.code)
    }

    /// Matches a name among areas at the `preference` levels (in order of preference), saying how
    /// it matched and whether the code was in force on `on`.
    ///
    /// # Errors
    /// As [`Bridge::code_for_name`].
    pub fn match_name(
        &self,
        name: &str,
        on: NaiveDate,
        preference: &[GeographyLevel],
    ) -> Result<NameMatch> {
        self.names.find(name, on, preference, levels_of_code)
    }

    /// Adds a publisher's spelling of a name for a code, valid while the code is.
    ///
    /// # Errors
    /// [`Error::UnknownArea`] if the bridge does not know the code.
    pub fn add_alias(&mut self, alias: &str, code: &AreaCode) -> Result<()> {
        let rec = self.record(code)?;
        let (from, to) = (rec.valid_from, rec.valid_to);
        self.names.add(alias, *code, from, to, NameKind::Alias);
        Ok(())
    }

    /// The GSS equivalent of an old-style code, or the code itself.
    fn gss(&self, code: &AreaCode) -> Option<&AreaRecord> {
        let rec = self.areas.get(code)?;
        if code.kind() == AreaCodeKind::Legacy {
            self.areas.get(&rec.equivalent?)
        } else {
            Some(rec)
        }
    }

    /// The English region (E12) of an area, or its country code outside England (W92000004,
    /// S92000003, N92000002). A region gives itself.
    pub fn region_of(&self, code: &AreaCode) -> Option<AreaCode> {
        let rec = self.gss(code)?;
        match rec.level {
            GeographyLevel::Region => Some(rec.code),
            GeographyLevel::Country => {
                matches!(rec.code.entity(), "W92" | "S92" | "N92").then_some(rec.code)
            }
            _ => rec
                .parents
                .region
                .or(rec.parents.country.filter(|c| c.entity() != "E92")),
        }
    }

    /// The upper-tier authority of an area: the county (E10) of a two-tier district, the code
    /// itself for a unitary, metropolitan or London authority or a county; for an MSOA or LSOA,
    /// the upper tier of its current LAD.
    pub fn upper_tier_of(&self, code: &AreaCode) -> Option<AreaCode> {
        let rec = self.gss(code)?;
        match rec.level {
            GeographyLevel::Utla => Some(rec.code),
            _ => rec.parents.utla,
        }
    }

    /// The lower-tier local authority of an area: the current LAD of an MSOA or LSOA; a LAD gives
    /// itself (an old-style code its GSS equivalent).
    pub fn lad_of(&self, code: &AreaCode) -> Option<AreaCode> {
        let rec = self.gss(code)?;
        match rec.level {
            GeographyLevel::Lad => Some(rec.code),
            _ => rec.parents.lad,
        }
    }

    /// The current combined authority (E47) of an area, if any; a combined authority gives itself.
    pub fn combined_authority_of(&self, code: &AreaCode) -> Option<AreaCode> {
        let rec = self.gss(code)?;
        match rec.level {
            GeographyLevel::CombinedAuthority => Some(rec.code),
            _ => rec.parents.combined_authority,
        }
    }

    /// The country (E92000001, W92000004, S92000003, N92000002) of an area; a country gives itself.
    pub fn country_of(&self, code: &AreaCode) -> Option<AreaCode> {
        let rec = self.gss(code)?;
        match rec.level {
            GeographyLevel::Country => Some(rec.code),
            _ => rec.parents.country,
        }
    }

    /// The area at `level` that contains `code` (the code itself if it is at that level):
    /// LSOA → MSOA → LAD → UTLA → region → country, and combined authority.
    ///
    /// `Region` gives the country code outside England, as [`Bridge::region_of`] does.
    pub fn parent(&self, code: &AreaCode, level: GeographyLevel) -> Option<AreaCode> {
        match level {
            GeographyLevel::Lsoa => self
                .gss(code)
                .filter(|r| r.level == GeographyLevel::Lsoa)
                .map(|r| r.code),
            GeographyLevel::Msoa => {
                let rec = self.gss(code)?;
                if rec.level == GeographyLevel::Msoa {
                    Some(rec.code)
                } else {
                    rec.parents.msoa
                }
            }
            GeographyLevel::Lad => self.lad_of(code),
            GeographyLevel::Utla => self.upper_tier_of(code),
            GeographyLevel::CombinedAuthority => self.combined_authority_of(code),
            GeographyLevel::Region => self.region_of(code),
            GeographyLevel::Country => self.country_of(code),
            GeographyLevel::Unallocated | GeographyLevel::Pseudo => None,
        }
    }

    /// The GSS codes at `level`, in force in `vintage`, that lie in `parent`, sorted.
    ///
    /// E.g. `members(E12000005, Lad, Newest)` is the 30 current West Midlands districts,
    /// `members(E10000028, Lad, Newest)` the 8 Staffordshire districts,
    /// `members(E08000025, Msoa, Newest)` Birmingham's 2021 MSOAs. Old-style codes are never
    /// listed (their GSS equivalents are). Empty if the parent is unknown.
    ///
    /// # Notes
    /// Scans every record: O(n) with n ≈ 5,400.
    pub fn members(
        &self,
        parent: &AreaCode,
        level: GeographyLevel,
        vintage: Vintage,
    ) -> Vec<AreaCode> {
        let Some(p) = self.areas.get(parent) else {
            return Vec::new();
        };
        let parent_levels = levels_of_code(&p.code);
        let mut out: Vec<AreaCode> = self
            .areas
            .values()
            .filter(|r| {
                r.level == level && r.code.kind() == AreaCodeKind::Gss && r.in_vintage(vintage)
            })
            .filter(|r| {
                parent_levels
                    .iter()
                    .any(|l| self.parent(&r.code, *l) == Some(p.code))
            })
            .map(|r| r.code)
            .collect();
        out.sort();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{bridge, code, date};

    fn newest(c: &str) -> Recode {
        bridge()
            .recode(&code(c), Vintage::Newest)
            .unwrap_or_else(|e| panic!("{c}: {e}"))
    }

    fn as_at(c: &str, d: &str) -> Recode {
        bridge()
            .recode(&code(c), Vintage::AsAt(date(d)))
            .unwrap_or_else(|e| panic!("{c} as at {d}: {e}"))
    }

    #[test]
    fn shropshire_districts_recode_to_shropshire() {
        let shropshire = Recode::Replaced(code("E06000051"));
        for c in [
            "39UB",
            "39UC",
            "39UD",
            "39UE",
            "39UF",
            "E07000182",
            "E07000183",
            "E07000184",
            "E07000185",
            "E07000186",
            "E10000026",
        ] {
            assert_eq!(newest(c), shropshire, "{c}");
            assert_eq!(as_at(c, "2009-04-01"), shropshire, "{c}");
        }
        // Before the merger the districts were in force: old-style codes give their GSS equivalents.
        assert_eq!(
            as_at("39UB", "2008-06-30"),
            Recode::Replaced(code("E07000182"))
        );
        assert_eq!(
            as_at("E07000182", "2009-03-31"),
            Recode::Same(code("E07000182"))
        );
        assert_eq!(newest("E06000051"), Recode::Same(code("E06000051")));
        assert_eq!(newest("00CN"), Recode::Replaced(code("E08000025")));
        let b = bridge();
        assert_eq!(
            b.predecessors(&code("E06000051")),
            &[
                code("E07000182"),
                code("E07000183"),
                code("E07000184"),
                code("E07000185"),
                code("E07000186"),
                code("E10000026")
            ]
        );
        let s = b.succession(&code("E07000182")).unwrap();
        assert_eq!(
            (s.date, s.kind),
            (
                date("2009-04-01"),
                super::super::history::ChangeKind::Merger
            )
        );
    }

    #[test]
    fn other_2009_mergers() {
        for (old, new) in [
            ("E07000013", "E06000050"), // Chester → Cheshire West and Chester
            ("E07000014", "E06000049"), // Congleton → Cheshire East
            ("E07000019", "E06000052"), // Caradon → Cornwall
            ("E07000054", "E06000047"), // Chester-le-Street → County Durham
            ("E07000157", "E06000057"), // Alnwick → Northumberland (via E06000048)
            ("E07000230", "E06000054"), // Kennet → Wiltshire
            ("E07000001", "E06000056"), // Mid Bedfordshire → Central Bedfordshire
            ("E07000002", "E06000055"), // Bedford → Bedford
            ("35UB", "E06000057"),
        ] {
            assert_eq!(newest(old), Recode::Replaced(code(new)), "{old}");
        }
        assert_eq!(
            as_at("E07000157", "2010-01-01"),
            Recode::Replaced(code("E06000048"))
        );
        // Welsh re-codes of 2009 from CHD.
        assert_eq!(newest("W06000007"), Recode::Replaced(code("W06000023")));
    }

    #[test]
    fn mergers_and_recodes_2019_to_2025() {
        for (old, new) in [
            ("E06000028", "E06000058"), // Bournemouth → BCP (2019)
            ("E06000029", "E06000058"),
            ("E07000048", "E06000058"),
            ("E07000049", "E06000059"), // East Dorset → Dorset
            ("E07000053", "E06000059"),
            ("E07000004", "E06000060"), // Aylesbury Vale → Buckinghamshire (2020)
            ("E07000150", "E06000061"), // Corby → North Northamptonshire (2021)
            ("E07000154", "E06000062"), // Northampton → West Northamptonshire
            ("E07000026", "E06000063"), // Allerdale → Cumberland (2023)
            ("E07000031", "E06000064"), // South Lakeland → Westmorland and Furness
            ("E07000163", "E06000065"), // Craven → North Yorkshire
            ("E07000187", "E06000066"), // Mendip → Somerset
            ("E07000190", "E06000066"), // Taunton Deane → SWT (2019) → Somerset (2023)
            ("E08000016", "E08000038"), // Barnsley (2025)
            ("E08000019", "E08000039"), // Sheffield (2025)
            ("E07000097", "E07000242"), // East Hertfordshire (2013)
            ("E08000020", "E08000037"), // Gateshead (2013)
            ("S12000046", "S12000049"), // Glasgow City (2019)
            ("E10000002", "E06000060"), // Buckinghamshire county (2020)
            ("E10000023", "E06000065"), // North Yorkshire county (2023)
        ] {
            assert_eq!(newest(old), Recode::Replaced(code(new)), "{old}");
        }
        assert_eq!(
            as_at("E07000163", "2021-12-31"),
            Recode::Same(code("E07000163"))
        );
        assert_eq!(
            as_at("E07000163", "2023-04-01"),
            Recode::Replaced(code("E06000065"))
        );
        assert_eq!(
            as_at("E07000190", "2021-12-31"),
            Recode::Replaced(code("E07000246"))
        );
        assert_eq!(
            as_at("E08000016", "2025-03-31"),
            Recode::Same(code("E08000016"))
        );
        assert_eq!(
            as_at("E08000016", "2025-04-01"),
            Recode::Replaced(code("E08000038"))
        );
        // A pure re-code can be followed back; a merger cannot.
        assert_eq!(
            as_at("E08000038", "2024-06-30"),
            Recode::Replaced(code("E08000016"))
        );
        let err = bridge()
            .recode(&code("E06000065"), Vintage::AsAt(date("2021-12-31")))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("came into force on 2023-04-01") && err.contains("E07000163 Craven"),
            "{err}"
        );
        assert_eq!(
            as_at("E10000009", "2018-12-31"),
            Recode::Same(code("E10000009"))
        );
    }

    #[test]
    fn current_codes_are_same() {
        let b = bridge();
        let current: Vec<&AreaRecord> = b
            .iter()
            .filter(|r| {
                r.level == GeographyLevel::Lad
                    && r.code.kind() == AreaCodeKind::Gss
                    && r.valid_to.is_none()
            })
            .collect();
        assert_eq!(current.len(), 361);
        for r in current {
            assert_eq!(
                b.recode(&r.code, Vintage::Newest).unwrap(),
                Recode::Same(r.code)
            );
        }
    }

    #[test]
    fn splits_need_weights() {
        let b = bridge();
        let northants = code("E10000021");
        let err = b
            .recode(&northants, Vintage::Newest)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("E06000061 North Northamptonshire")
                && err.contains("E06000062 West Northamptonshire"),
            "{err}"
        );
        assert!(
            err.contains("weights") && err.contains("split on 2021-04-01"),
            "{err}"
        );
        assert_eq!(
            b.recode(&northants, Vintage::AsAt(date("2021-03-31")))
                .unwrap(),
            Recode::Same(northants)
        );
        let mut weights = HashMap::new();
        weights.insert(code("E06000061"), 350_000.0);
        let err = b
            .split(&northants, Vintage::Newest, &weights)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("missing for E06000062 West Northamptonshire"),
            "{err}"
        );
        weights.insert(code("E06000062"), 650_000.0);
        let shares = b.split(&northants, Vintage::Newest, &weights).unwrap();
        assert_eq!(
            shares,
            vec![(code("E06000061"), 0.35), (code("E06000062"), 0.65)]
        );
        assert_eq!(
            b.recode_with_weights(&northants, Vintage::Newest, &weights)
                .unwrap(),
            Recode::Split(shares)
        );
        weights.insert(code("E06000062"), f64::NAN);
        assert!(
            b.split(&northants, Vintage::Newest, &weights)
                .unwrap_err()
                .to_string()
                .contains("finite")
        );
        // Not split: one code, share 1, no weights needed.
        assert_eq!(
            b.split(&code("39UB"), Vintage::Newest, &HashMap::new())
                .unwrap(),
            vec![(code("E06000051"), 1.0)]
        );
        // Dorset county: Christchurch went to BCP, the rest to Dorset Council.
        let err = b
            .recode(&code("E10000009"), Vintage::Newest)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("E06000058") && err.contains("E06000059"),
            "{err}"
        );
    }

    #[test]
    fn unknown_codes_are_named() {
        let err = bridge()
            .recode(&code("E07999999"), Vintage::Newest)
            .unwrap_err();
        assert!(matches!(err, Error::UnknownArea { .. }));
        assert!(err.to_string().contains("\"E07999999\""), "{err}");
        assert!(bridge().area(&code("E07999999")).is_none());
        let empty = Bridge::empty();
        assert!(empty.is_empty());
        assert_eq!(empty.len(), 0);
        assert!(empty.recode(&code("E08000025"), Vintage::Newest).is_err());
    }

    #[test]
    fn regions_and_members() {
        let b = bridge();
        let wm = code("E12000005");
        let lads = b.members(&wm, GeographyLevel::Lad, Vintage::Newest);
        let mut expected: Vec<AreaCode> = ["E06000019", "E06000020", "E06000021", "E06000051"]
            .iter()
            .map(|c| code(c))
            .collect();
        expected.extend(
            (192..=199)
                .chain(218..=222)
                .chain(234..=239)
                .map(|n| code(&format!("E07000{n}"))),
        );
        expected.extend((25..=31).map(|n| code(&format!("E080000{n}"))));
        expected.sort();
        assert_eq!(lads, expected);
        assert_eq!(
            b.members(&code("E12000007"), GeographyLevel::Lad, Vintage::Newest)
                .len(),
            33
        );
        // Before April 2009: Shropshire's five districts instead of Shropshire.
        let before = b.members(&wm, GeographyLevel::Lad, Vintage::AsAt(date("2009-03-31")));
        assert_eq!(before.len(), 34);
        assert!(before.contains(&code("E07000182")) && !before.contains(&code("E06000051")));
        let english: Vec<&AreaRecord> = b
            .iter()
            .filter(|r| {
                matches!(r.code.entity(), "E06" | "E07" | "E08" | "E09") && r.valid_to.is_none()
            })
            .collect();
        assert_eq!(english.len(), 296);
        let regions: usize = (1..=9)
            .map(|n| {
                b.members(
                    &code(&format!("E1200000{n}")),
                    GeographyLevel::Lad,
                    Vintage::Newest,
                )
                .len()
            })
            .sum();
        assert_eq!(regions, 296);
        for r in english {
            assert_eq!(
                b.region_of(&r.code)
                    .map(|c| c.entity().to_string())
                    .as_deref(),
                Some("E12"),
                "{}",
                r.code
            );
        }
        assert_eq!(b.region_of(&code("W06000015")), Some(code("W92000004")));
        assert_eq!(b.region_of(&code("S12000049")), Some(code("S92000003")));
        assert_eq!(b.region_of(&code("N09000003")), Some(code("N92000002")));
        assert_eq!(b.region_of(&code("39UB")), Some(wm));
        assert_eq!(b.region_of(&code("E07000163")), Some(code("E12000003")));
        assert_eq!(
            b.members(&code("E92000001"), GeographyLevel::Region, Vintage::Newest)
                .len(),
            9
        );
        assert_eq!(
            b.members(&code("E10000028"), GeographyLevel::Lad, Vintage::Newest)
                .len(),
            8
        );
        assert_eq!(
            b.members(&code("E47000007"), GeographyLevel::Lad, Vintage::Newest)
                .len(),
            7
        );
        assert!(
            b.members(&code("E07999999"), GeographyLevel::Lad, Vintage::Newest)
                .is_empty()
        );
    }

    #[test]
    fn upper_tiers_and_small_areas() {
        let b = bridge();
        assert_eq!(b.upper_tier_of(&code("E07000192")), Some(code("E10000028")));
        assert_eq!(b.name(&code("E10000028")), Some("Staffordshire"));
        assert_eq!(b.upper_tier_of(&code("E08000025")), Some(code("E08000025")));
        assert_eq!(b.upper_tier_of(&code("E06000019")), Some(code("E06000019")));
        assert_eq!(b.upper_tier_of(&code("E10000031")), Some(code("E10000031")));
        assert_eq!(b.upper_tier_of(&code("E07000182")), Some(code("E10000026")));
        assert_eq!(b.lad_of(&code("E02001827")), Some(code("E08000025")));
        assert_eq!(
            b.parent(&code("E02001827"), GeographyLevel::Region),
            Some(code("E12000005"))
        );
        assert_eq!(
            b.parent(&code("E02001827"), GeographyLevel::CombinedAuthority),
            Some(code("E47000007"))
        );
        assert_eq!(
            b.parent(&code("E07000192"), GeographyLevel::Utla),
            Some(code("E10000028"))
        );
        assert_eq!(
            b.parent(&code("E07000192"), GeographyLevel::Country),
            Some(code("E92000001"))
        );
        assert_eq!(
            b.parent(&code("E12000005"), GeographyLevel::Country),
            Some(code("E92000001"))
        );
        let lsoa = b
            .iter()
            .find(|r| r.level == GeographyLevel::Lsoa && r.name == "Birmingham 067A")
            .unwrap();
        let msoa = b.parent(&lsoa.code, GeographyLevel::Msoa).unwrap();
        assert_eq!(b.name(&msoa), Some("Birmingham 067"));
        assert_eq!(b.lad_of(&lsoa.code), Some(code("E08000025")));
        let bham = code("E08000025");
        assert_eq!(
            b.members(&bham, GeographyLevel::Msoa, Vintage::Newest)
                .len(),
            132
        );
        let all_wm_msoa21 = b
            .members(&code("E12000005"), GeographyLevel::Msoa, Vintage::Newest)
            .len();
        assert_eq!(all_wm_msoa21, 736);
        assert_eq!(
            b.members(
                &code("E12000005"),
                GeographyLevel::Msoa,
                Vintage::AsAt(date("2015-06-30"))
            )
            .len(),
            735
        );
        assert_eq!(
            b.members(&code("E12000005"), GeographyLevel::Lsoa, Vintage::Newest)
                .len(),
            3574
        );
        // A 2011-only MSOA has no 2021 successor in the data.
        let err = b
            .recode(&code("E02001854"), Vintage::Newest)
            .unwrap_err()
            .to_string();
        assert!(err.contains("not in the 2021 geography"), "{err}");
        assert_eq!(
            b.recode(&code("E02001827"), Vintage::Newest).unwrap(),
            Recode::Same(code("E02001827"))
        );
    }

    #[test]
    fn records_carry_dates_and_names() {
        let b = bridge();
        let craven = b.area(&code("E07000163")).unwrap();
        assert_eq!(
            (craven.valid_from, craven.valid_to),
            (None, Some(date("2023-03-31")))
        );
        let nyorks = b.area(&code("E06000065")).unwrap();
        assert_eq!(nyorks.valid_from, Some(date("2023-04-01")));
        assert_eq!(
            b.area(&code("E08000038")).unwrap().valid_from,
            Some(date("2025-04-01"))
        );
        assert_eq!(
            b.area(&code("E08000016")).unwrap().valid_to,
            Some(date("2025-03-31"))
        );
        let folkestone = b.area(&code("E07000112")).unwrap();
        assert_eq!(folkestone.name, "Folkestone and Hythe");
        assert!(folkestone.other_names.iter().any(|n| n == "Shepway"));
        assert_eq!(
            b.area(&code("39UB")).unwrap().equivalent,
            Some(code("E07000182"))
        );
        assert_eq!(
            b.area(&code("E08000025")).unwrap().equivalent,
            Some(code("00CN"))
        );
        assert_eq!(
            level_of_code(&code("E10000028")),
            Some(GeographyLevel::Utla)
        );
        assert_eq!(
            levels_of_code(&code("E06000019")),
            vec![GeographyLevel::Lad, GeographyLevel::Utla]
        );
    }

    #[test]
    fn building_is_fast() {
        let dir = crate::default_data_dir();
        let start = std::time::Instant::now();
        let (b, audits) = Bridge::from_data_dir(&dir).unwrap();
        let took = start.elapsed();
        assert_eq!(audits.len(), super::super::lookups::LOOKUP_FILES.len());
        assert!(b.len() > 5_000, "{}", b.len());
        // Release builds take a few milliseconds; debug builds are much slower, so only a loose bound here.
        let limit = if cfg!(debug_assertions) { 3_000 } else { 100 };
        assert!(
            took.as_millis() < limit,
            "building the bridge took {took:?}"
        );
    }
}
