//! Role addresses: mailboxes of a function or a company (`info@`, `sales@`, `support-de@`) rather
//! than of one person. A lead whose only address is a role address is a company contact.

use std::sync::LazyLock;

use rustc_hash::FxHashSet;

/// True when `local_part` (the text before the `@`; a whole address is accepted too) names a role
/// rather than a person: `info`, `sales`, `noreply`, and the same with a team, country or number
/// suffix (`sales.uk`, `support-de`, `info2`, `jobs+cv`).
pub fn role_address(local_part: &str) -> bool {
    let local = local_part.split('@').next().unwrap_or_default().trim();
    if local.is_ascii() {
        // ASCII lower-casing keeps every byte in place: the same steps on a copy on the stack
        // (this runs for every address on a page).
        if local.is_empty() || local.len() > MAX_LOCAL {
            return false;
        }
        let mut buf = [0u8; MAX_LOCAL];
        let lower = &mut buf[..local.len()];
        lower.copy_from_slice(local.as_bytes());
        lower.make_ascii_lowercase();
        return std::str::from_utf8(lower).is_ok_and(lowercase_is_role);
    }
    let local = local.to_lowercase();
    if local.is_empty() || local.len() > MAX_LOCAL {
        return false;
    }
    lowercase_is_role(&local)
}

/// True when `address` (or its local part) is an automated sender that takes no replies:
/// `no-reply@`, `noreply@`, `do_not_reply@`, `mailer-daemon@`, `bounce+123@`, `bounces@`. Nobody
/// reads such a mailbox, so it is no contact at all.
pub fn no_reply_address(address: &str) -> bool {
    let bytes = address.as_bytes();
    // Every such sender starts with n, d, m or b: most addresses are ruled out by one byte.
    if !matches!(
        bytes.first().map(u8::to_ascii_lowercase),
        Some(b'n' | b'd' | b'm' | b'b')
    ) {
        return false;
    }
    let local = &bytes[..memchr::memchr(b'@', bytes).unwrap_or(bytes.len())];
    let local = &local[..memchr::memchr(b'+', local).unwrap_or(local.len())];
    // The local part without its separators, lower-case, as far as the longest prefix reaches.
    let mut buf = [0u8; 12];
    let mut len = 0;
    for &b in local.iter().filter(|b| !matches!(b, b'.' | b'-' | b'_')) {
        if len == buf.len() {
            break;
        }
        buf[len] = b.to_ascii_lowercase();
        len += 1;
    }
    let squeezed = &buf[..len];
    if [
        &b"noreply"[..],
        b"donotreply",
        b"dontreply",
        b"mailerdaemon",
    ]
    .iter()
    .any(|p| squeezed.starts_with(p))
    {
        return true;
    }
    // `bounce@`, `bounces@`, `bounce-123@`, `bounces+x@`: the first word, digits aside.
    let first = &local[..local
        .iter()
        .position(|b| matches!(b, b'.' | b'-' | b'_'))
        .unwrap_or(local.len())];
    let mut first = first;
    while let Some((last, head)) = first.split_last() {
        if !last.is_ascii_digit() {
            break;
        }
        first = head;
    }
    first.eq_ignore_ascii_case(b"bounce") || first.eq_ignore_ascii_case(b"bounces")
}

/// Longest local part looked at (RFC 5321's limit).
const MAX_LOCAL: usize = 64;

/// [`role_address`] of a lower-cased local part of at most [`MAX_LOCAL`] bytes.
fn lowercase_is_role(local: &str) -> bool {
    // A `+tag` never changes whose mailbox it is.
    let local = local.split('+').next().unwrap_or_default();
    let is_sep = |c: char| matches!(c, '.' | '-' | '_');
    // Every address of a page is looked up here, twice: a hash set beats a binary search of
    // string comparisons.
    static ROLES: LazyLock<FxHashSet<&'static str>> =
        LazyLock::new(|| ROLE_WORDS.iter().copied().collect());
    let is_role = |w: &str| ROLES.contains(w.trim_end_matches(|c: char| c.is_ascii_digit()));
    let first = local.split(is_sep).next().unwrap_or_default();
    if is_role(first) {
        return true;
    }
    // The local part without its separators (`no-reply` → `noreply`): the separators are ASCII,
    // so dropping their bytes keeps the rest valid UTF-8; without one it is `first` again.
    if !local.contains(is_sep) {
        return false;
    }
    let mut buf = [0u8; MAX_LOCAL];
    let mut len = 0;
    for &b in local
        .as_bytes()
        .iter()
        .filter(|b| !matches!(b, b'.' | b'-' | b'_'))
    {
        buf[len] = b;
        len += 1;
    }
    std::str::from_utf8(&buf[..len]).is_ok_and(is_role)
}

/// Role mailbox names (English, German, French, Spanish, Italian, Portuguese, Dutch), sorted.
const ROLE_WORDS: &[&str] = &[
    "abuse",
    "account",
    "accounting",
    "accounts",
    "accueil",
    "admin",
    "administracion",
    "administration",
    "administrator",
    "admissions",
    "ads",
    "advertising",
    "affiliates",
    "amministrazione",
    "anfrage",
    "anfragen",
    "apply",
    "assistenza",
    "atencion",
    "atendimento",
    "auskunft",
    "bestellung",
    "bewerbung",
    "billing",
    "board",
    "bonjour",
    "booking",
    "bookings",
    "buchhaltung",
    "buero",
    "bureau",
    "büro",
    "career",
    "careers",
    "ceo",
    "commercial",
    "commerciale",
    "committee",
    "community",
    "compliance",
    "compta",
    "comptabilite",
    "comptabilité",
    "contabilita",
    "contact",
    "contactenos",
    "contacto",
    "contacts",
    "contactus",
    "contato",
    "contatti",
    "contatto",
    "cs",
    "customercare",
    "customerservice",
    "customersupport",
    "dataprotection",
    "datenschutz",
    "datenschutzbeauftragter",
    "devis",
    "direction",
    "donate",
    "donations",
    "donotreply",
    "dpd",
    "dpo",
    "dsgvo",
    "ecommerce",
    "editor",
    "editorial",
    "editors",
    "empfang",
    "enquiries",
    "enquiry",
    "events",
    "facturacion",
    "facturation",
    "fattura",
    "feedback",
    "finance",
    "financeiro",
    "gdpr",
    "general",
    "grants",
    "hello",
    "help",
    "helpdesk",
    "hi",
    "hola",
    "hr",
    "impressum",
    "info",
    "informacion",
    "information",
    "infos",
    "inquiries",
    "inquiry",
    "investor",
    "investors",
    "invoice",
    "invoices",
    "ir",
    "it",
    "jobs",
    "kontakt",
    "kundenservice",
    "legal",
    "lohn",
    "mail",
    "mailbox",
    "marketing",
    "media",
    "members",
    "membership",
    "news",
    "newsletter",
    "noreply",
    "nospam",
    "notifications",
    "office",
    "ola",
    "olá",
    "operations",
    "orders",
    "paghe",
    "partner",
    "partners",
    "partnerships",
    "payments",
    "payroll",
    "personale",
    "postmaster",
    "pr",
    "press",
    "presse",
    "privacy",
    "privacyofficer",
    "protectiondesdonnees",
    "purchasing",
    "recepcion",
    "reception",
    "rechnung",
    "recruiting",
    "recruitment",
    "recrutement",
    "redaktion",
    "reservas",
    "reservations",
    "reservierung",
    "rgpd",
    "root",
    "sac",
    "sales",
    "sav",
    "secretaria",
    "secretariat",
    "security",
    "segreteria",
    "service",
    "serviceclient",
    "servicedesk",
    "services",
    "shop",
    "soporte",
    "spam",
    "staff",
    "store",
    "studio",
    "suporte",
    "support",
    "talent",
    "team",
    "tech",
    "techsupport",
    "trustees",
    "ufficio",
    "vendas",
    "ventas",
    "verkauf",
    "vertrieb",
    "verwaltung",
    "volunteer",
    "volunteering",
    "volunteers",
    "webmaster",
    "welcome",
    "www",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_reply_senders() {
        for a in [
            "no-reply@e.shop.com",
            "noreply@acme.io",
            "NoReply@acme.io",
            "do-not-reply@bank.co.uk",
            "donotreply@bank.co.uk",
            "do_not_reply@acme.de",
            "mailer-daemon@mx.acme.com",
            "bounce+1234@mail.acme.com",
            "bounces@lists.acme.org",
            "no.reply.fr@acme.fr",
        ] {
            assert!(no_reply_address(a), "{a}");
        }
        for a in [
            "reply@acme.io",
            "nora.reyes@acme.io",
            "info@acme.io",
            "bouncer.jane@acme.io",
        ] {
            assert!(!no_reply_address(a), "{a}");
        }
    }

    #[test]
    fn role_words_are_sorted() {
        assert!(
            ROLE_WORDS.windows(2).all(|w| w[0] < w[1]),
            "ROLE_WORDS must stay sorted"
        );
    }

    #[test]
    fn roles() {
        for local in [
            "info",
            "INFO",
            "sales",
            "support",
            "contact",
            "hello",
            "hi",
            "office",
            "admin",
            "team",
            "hr",
            "jobs",
            "careers",
            "press",
            "media",
            "marketing",
            "billing",
            "accounts",
            "help",
            "service",
            "enquiries",
            "inquiries",
            "bookings",
            "reservations",
            "orders",
            "noreply",
            "no-reply",
            "no_reply",
            "webmaster",
            "privacy",
            "legal",
            "security",
            "feedback",
            "partners",
            "events",
            "reception",
            "general",
            "mail",
            "sales.uk",
            "support-de",
            "info2",
            "info+web",
            "jobs@acme.com",
            "kontakt",
            "contacto",
            "donotreply",
            "do-not-reply",
            "customer.service",
            "volunteer",
            "volunteers",
            "board",
            "trustees",
            "paghe",
            "segreteria",
            "contact-us",
        ] {
            assert!(role_address(local), "{local:?} is a role address");
        }
    }

    #[test]
    fn people() {
        for local in [
            "jane",
            "jane.doe",
            "j.doe",
            "jdoe",
            "john-smith",
            "",
            "infobip.jane",
            "mary-ann",
        ] {
            assert!(!role_address(local), "{local:?} is a person");
        }
        assert!(!role_address(&"x".repeat(100)));
    }
}
