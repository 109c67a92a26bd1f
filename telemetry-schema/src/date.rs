//! Calendar dates (`YYYY-MM-DD`) for `expires` and `history`, and "today".
//!
//! Dates are whole days in the proleptic Gregorian calendar, UTC: an expiry
//! means the same day everywhere, and no time-zone database is needed.

use std::fmt;

/// A calendar date.
///
/// ```
/// use telemetry_schema::Date;
/// let d: Date = "2026-02-28".parse().unwrap();
/// assert_eq!(d.to_string(), "2026-02-28");
/// assert!(d < "2026-03-01".parse().unwrap());
/// assert_eq!(d.plus_years(2).to_string(), "2028-02-28");
/// assert_eq!("2028-02-29".parse::<Date>().unwrap().plus_years(1).to_string(), "2029-02-28");
/// assert!("2026-02-30".parse::<Date>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 2026.
    pub year: u16,
    /// Month, 1 to 12.
    pub month: u8,
    /// Day of the month, 1 to 31.
    pub day: u8,
}

fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Date {
    /// A date, if it exists in the calendar.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)).then_some(Date {
            year,
            month,
            day,
        })
    }

    /// Today's date in UTC, from the system clock. Code that must be
    /// deterministic (tests, generated pages) takes a date from its caller instead.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        Date::from_days_since_epoch(secs / 86_400)
    }

    /// The date `days` days after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    ///
    /// ```
    /// assert_eq!(telemetry_schema::Date::from_days_since_epoch(20_454).to_string(), "2026-01-01");
    /// ```
    pub fn from_days_since_epoch(days: u64) -> Date {
        let z = days as i64 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)).clamp(0, 9999) as u16;
        Date { year, month, day }
    }

    /// The same day `years` later; 29 February becomes 28 February in a common year.
    pub fn plus_years(self, years: u16) -> Date {
        let year = self.year.saturating_add(years);
        Date { year, month: self.month, day: self.day.min(days_in_month(year, self.month)) }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Why a text is not a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError;

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a calendar date in the form YYYY-MM-DD")
    }
}

impl std::error::Error for DateError {}

impl std::str::FromStr for Date {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Date, DateError> {
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| -> Option<u16> {
            b[r].iter().try_fold(0u16, |n, c| c.is_ascii_digit().then(|| n * 10 + u16::from(c - b'0')))
        };
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(DateError);
        }
        let (y, m, d) = (digits(0..4), digits(5..7), digits(8..10));
        match (y, m, d) {
            (Some(y), Some(m), Some(d)) => Date::new(y, m as u8, d as u8).ok_or(DateError),
            _ => Err(DateError),
        }
    }
}
