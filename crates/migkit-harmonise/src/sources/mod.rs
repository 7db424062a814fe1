//! One reader per published release, chosen by folder and file name.
//!
//! Each module reads one release (or one family of files of one publisher's table) and
//! documents, in its module docs, the release it reads, its columns and its quirks.

mod census2021;
pub mod census_ethnic_group;
pub mod census_msoa;
pub mod census_ts012;
pub mod dfe_cla_uasc;
pub mod dwp_nino;
pub mod ho_asy_d11;
pub mod ho_nts01;
pub mod ho_reg02;
pub mod ho_res_d01;
mod home_office;
pub mod ons_mye2020;
pub mod ons_mye2024;
pub mod ons_myeb3;

use crate::source::Reader;

/// Every data reader migkit has (lookups and boundaries are read by [`crate::geography`]).
pub fn all_readers() -> Vec<Box<dyn Reader>> {
    let mut readers: Vec<Box<dyn Reader>> = Vec::new();
    readers.extend(census_ts012::readers());
    readers.extend(census_ethnic_group::readers());
    readers.extend(census_msoa::readers());
    readers.extend(dfe_cla_uasc::readers());
    readers.extend(dwp_nino::readers());
    readers.extend(ho_asy_d11::readers());
    readers.extend(ho_nts01::readers());
    readers.extend(ho_reg02::readers());
    readers.extend(ho_res_d01::readers());
    readers.extend(ons_mye2020::readers());
    readers.extend(ons_mye2024::readers());
    readers.extend(ons_myeb3::readers());
    readers
}
