use leadsync_types::extract::text::*;
use std::time::Instant;

fn time(name: &str, text: &str) {
    let t = Instant::now();
    let e = find_emails(text);
    let te = t.elapsed();
    let t = Instant::now();
    let p = find_phones(text, Some("US"));
    let tp = t.elapsed();
    println!("{name:<28} {:>8} bytes  emails {:>5} in {:>9.2?}  phones {:>5} in {:>9.2?}", text.len(), e.len(), te, p.len(), tp);
}

#[test]
fn perf() {
    let prose = "Our team at Acme Corp. has 42 people in 3 offices since 2009. Contact Jane Doe (jane.doe@acme.com) or call +1 415 555 0100 ext. 12, fax (415) 555-0199. Order #12345 shipped on 2024-01-15 at 10:30; total $1,299.99. Version 1.2.3 released. ";
    let n = 1_000_000 / prose.len();
    if std::env::var("ONLY").is_ok() { let p = "Contact Jane Doe (jane.doe@acme.com) or call +1 415 555 0100 today. "; time("realistic", &p.repeat(1_000_000 / p.len())); return; }
    time("realistic prose 1MB", &prose.repeat(n));
    let plain = "The quick brown fox jumps over the lazy dog while the dot com era looked at me. ";
    time("plain prose 1MB", &plain.repeat(1_000_000 / plain.len()));
    time("digits", &"1".repeat(1_000_000));
    time("digit groups", &"1234 ".repeat(200_000));
    time("single digits", &"1 ".repeat(500_000));
    time("phone-like x", &"415 x ".repeat(160_000));
    time("slashes", &"12/34/".repeat(160_000));
    time("dots", &"12.34.".repeat(160_000));
    time("parens", &"(1)(2)".repeat(160_000));
    time("pluses", &"+1 ".repeat(330_000));
    time("a@", &"a@".repeat(500_000));
    time("at words", &"a at b dot c ".repeat(80_000));
    time("brackets", &"x [at] y [dot] ".repeat(70_000));
    time("(at)", &"(at)".repeat(250_000));
    time("letters", &"a".repeat(1_000_000));
    time("dots domain", &format!("x@{}", "a.".repeat(500_000)));
    time("vanity", &"1800 ABC ".repeat(110_000));
    time("tel:", &"tel:1 ".repeat(160_000));
    time("phone-context", &";phone-context=".repeat(60_000));
    time("valid numbers", &"(415) 555-0100, ".repeat(60_000));
    time("cjk", &"連絡先jane@acme.comまで".repeat(30_000));
}
