//! Event times: whole milliseconds since the Unix epoch, in the years
//! 1970..=9999 (what RFC 3339 with four-digit years holds), written as
//! `2024-05-01T12:00:00.123Z` and read back from any RFC 3339 offset.

use std::time::{SystemTime, UNIX_EPOCH};

/// The first millisecond of the year 10000: times from there on cannot be written.
const END_MS: u64 = 253_402_300_800_000;

/// `t` in whole milliseconds since the epoch; `None` outside 1970..=9999
/// (a clock set far off: the event is dropped, it could not be written).
pub(crate) fn millis(t: SystemTime) -> Option<u64> {
    let ms = u64::try_from(t.duration_since(UNIX_EPOCH).ok()?.as_millis()).ok()?;
    (ms < END_MS).then_some(ms)
}

/// Writes `ms` (from [`millis`] or [`parse`]) as RFC 3339, UTC, milliseconds.
///
/// Digit by digit (civil date from days since the epoch, Howard Hinnant's
/// algorithm): through `core::fmt` it would be a large part of `record()`.
pub(crate) fn write(buf: &mut Vec<u8>, ms: u64) {
    let secs = ms / 1000;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(secs / 86_400);
    let mut out = *b"0000-00-00T00:00:00.000Z";
    let mut put = |at: usize, width: usize, mut v: u64| {
        for i in (at..at + width).rev() {
            out[i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, 4, y);
    put(5, 2, m);
    put(8, 2, d);
    put(11, 2, rem / 3600);
    put(14, 2, rem / 60 % 60);
    put(17, 2, rem % 60);
    put(20, 3, ms % 1000);
    buf.extend_from_slice(&out);
}

/// Reads an RFC 3339 date-time (`Z` or any `±HH:MM` offset, any number of
/// fraction digits) as whole milliseconds since the epoch, in UTC: a time
/// written with an offset is the same instant, not "no time at all".
/// `None` for anything else, or outside 1970..=9999.
pub(crate) fn parse(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    let num = |at: usize, width: usize| -> Option<u64> {
        let digits = b.get(at..at + width)?;
        digits.iter().try_fold(0u64, |v, &c| c.is_ascii_digit().then(|| v * 10 + u64::from(c - b'0')))
    };
    let sep = |at: usize, c: &[u8]| b.get(at).is_some_and(|x| c.contains(x));
    if !(sep(4, b"-") && sep(7, b"-") && sep(10, b"Tt ") && sep(13, b":") && sep(16, b":")) {
        return None;
    }
    let (y, mo, d, h, mi, sec) = (num(0, 4)?, num(5, 2)?, num(8, 2)?, num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if !(1..=12).contains(&mo) || d == 0 || d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut at = 19;
    let mut frac_ms = 0;
    if sep(at, b".") {
        let digits = b[at + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        let padded = |i: usize| b.get(at + 1 + i).filter(|_| i < digits).map_or(0, |c| u64::from(c - b'0'));
        frac_ms = padded(0) * 100 + padded(1) * 10 + padded(2);
        at += 1 + digits;
    }
    let offset_s: i64 = match b.get(at..)? {
        b"Z" | b"z" => 0,
        [sign @ (b'+' | b'-'), ..] if b.len() == at + 6 && sep(at + 3, b":") => {
            let (oh, om) = (num(at + 1, 2)?, num(at + 4, 2)?);
            if oh > 23 || om > 59 {
                return None;
            }
            let o = i64::try_from(oh * 3600 + om * 60).ok()?;
            if *sign == b'+' { o } else { -o }
        }
        _ => return None,
    };
    let local = days_from_civil(y, mo, d)? * 86_400 + h * 3600 + mi * 60 + sec;
    let utc = i64::try_from(local).ok()?.checked_sub(offset_s)?;
    let ms = u64::try_from(utc).ok()?.checked_mul(1000)? + frac_ms;
    (ms < END_MS).then_some(ms)
}

fn days_in_month(y: u64, m: u64) -> u64 {
    match m {
        2 if y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// (year, month, day) of a day count since 1970-01-01 (proleptic Gregorian).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    (y, m, d)
}

/// Days since 1970-01-01 of a civil date (the inverse of [`civil_from_days`]);
/// `None` before 1970 (or for year 0, where the arithmetic would underflow).
fn days_from_civil(y: u64, m: u64, d: u64) -> Option<u64> {
    let y = if m <= 2 { y.checked_sub(1)? } else { y };
    let era = y / 400;
    let yoe = y % 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe).checked_sub(719_468)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn written_as_humantime_writes_and_read_back() {
        let mut ms: Vec<u64> = vec![0, 1, 999, 86_399_999, 86_400_000, 951_782_400_000, 951_868_800_000];
        // Every day boundary of 1970..2100, plus odd times, and the far end.
        ms.extend((0..47_500u64).map(|d| d * 86_400_000 + (d * 7_919_333) % 86_400_000));
        ms.extend([4_102_444_800_000, END_MS - 1]);
        for m in ms {
            let t = UNIX_EPOCH + Duration::from_millis(m);
            let mut buf = Vec::new();
            write(&mut buf, millis(t).unwrap());
            let text = String::from_utf8(buf).unwrap();
            assert_eq!(text, humantime::format_rfc3339_millis(t).to_string(), "{m} ms");
            assert_eq!(parse(&text), Some(m), "{text}");
        }
    }

    #[test]
    fn offsets_are_the_same_instant_in_utc() {
        let utc = parse("2023-11-14T22:13:20.123Z").unwrap();
        assert_eq!(utc, 1_700_000_000_123);
        for same in [
            "2023-11-15T00:13:20.123+02:00",
            "2023-11-14T17:43:20.123-04:30",
            "2023-11-14t22:13:20.123456789z",
            "2023-11-14 22:13:20.1239Z",
        ] {
            assert_eq!(parse(same), Some(utc), "{same}");
        }
        assert_eq!(parse("2023-11-14T22:13:20Z"), Some(1_700_000_000_000));
        assert_eq!(parse("1970-01-01T00:00:00.000Z"), Some(0));
    }

    #[test]
    fn anything_else_is_none() {
        for bad in [
            "",
            "yesterday",
            "2023-11-14T22:13:20.123",
            "2023-11-14T22:13:20.Z",
            "2023-02-29T00:00:00Z",
            "2023-13-01T00:00:00Z",
            "2023-11-14T24:00:00Z",
            "2023-11-14T22:13:20+2:00",
            "2023-11-14T22:13:20+02:00x",
            "1969-12-31T23:59:59.999Z",
            "1970-01-01T01:00:00+02:00",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59-01:00",
            "２023-11-14T22:13:20Z",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        assert_eq!(millis(UNIX_EPOCH - Duration::from_millis(1)), None);
        assert_eq!(millis(UNIX_EPOCH + Duration::from_millis(END_MS)), None);
    }
}
