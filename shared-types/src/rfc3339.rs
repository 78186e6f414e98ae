//! Checks the shape of an RFC 3339 timestamp by hand (this crate has no date library, and the
//! server and extension only need to know the text is a real instant they can hand to one).

/// `s` as a normalised RFC 3339 `date-time` (`T` and `Z` upper-case, a space separator written as
/// `T`), or `None` if it is not one: wrong shape, month 13, 31 April, 29 February of a common year,
/// hour 24, a missing offset.
pub(crate) fn normalize(s: &str) -> Option<String> {
    let b = s.as_bytes();
    // 2024-05-01T13:45:00Z is the shortest form; nobody writes more than nanoseconds and a long offset.
    if !(20..=40).contains(&b.len()) || !s.is_ascii() {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<u32> {
        let part = b.get(from..to)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    };
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    let separators = at(4, b'-') && at(7, b'-') && at(13, b':') && at(16, b':');
    if !(separators && matches!(b[10], b'T' | b't' | b' ')) {
        return None;
    }
    let (year, month, day) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let (hour, minute, second) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None; // 60 is a leap second, which RFC 3339 allows.
    }
    let mut i = 19;
    if at(i, b'.') {
        let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        i += 1 + digits;
    }
    match b.get(i) {
        Some(b'Z' | b'z') if i + 1 == b.len() => {}
        Some(b'+' | b'-') if i + 6 == b.len() && at(i + 3, b':') => {
            if num(i + 1, i + 3)? > 23 || num(i + 4, i + 6)? > 59 {
                return None;
            }
        }
        _ => return None,
    }
    let mut out = s.to_string();
    out.replace_range(10..11, "T");
    if out.ends_with('z') {
        out.replace_range(out.len() - 1.., "Z");
    }
    Some(out)
}

// `u32::is_multiple_of` needs Rust 1.87; the workspace promises 1.85.
#[allow(clippy::manual_is_multiple_of)]
fn days_in_month(year: u32, month: u32) -> u32 {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn valid_timestamps_normalise() {
        assert_eq!(
            normalize("2024-05-01T13:45:00Z").as_deref(),
            Some("2024-05-01T13:45:00Z")
        );
        assert_eq!(
            normalize("2024-05-01t13:45:00z").as_deref(),
            Some("2024-05-01T13:45:00Z")
        );
        assert_eq!(
            normalize("2024-05-01 13:45:00.123+02:00").as_deref(),
            Some("2024-05-01T13:45:00.123+02:00")
        );
        assert_eq!(
            normalize("2024-02-29T00:00:00.123456789-05:30").as_deref(),
            Some("2024-02-29T00:00:00.123456789-05:30")
        );
        assert!(normalize("2000-02-29T00:00:00Z").is_some());
        assert!(normalize("2016-12-31T23:59:60Z").is_some());
    }

    #[test]
    fn invalid_timestamps_are_refused() {
        for s in [
            "",
            "2024-05-01",
            "2024-05-01T13:45Z",
            "2024-05-01T13:45:00",
            "2024-05-01T13:45:00+0200",
            "2024-13-01T00:00:00Z",
            "2024-04-31T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2024-05-01T24:00:00Z",
            "2024-05-01T23:60:00Z",
            "2024-05-01T23:59:61Z",
            "2024-05-01T23:59:59.Z",
            "2024-05-01T23:59:59+24:00",
            "2024-05-01X23:59:59Z",
            "2024-05-01T23:59:59Zjunk",
            "２０２４-05-01T13:45:00Z",
            "+2024-05-01T13:45:00Z",
            "2024-05-01T13:45:00.1234567890123456789012Z",
        ] {
            assert_eq!(normalize(s), None, "{s:?}");
        }
    }
}
