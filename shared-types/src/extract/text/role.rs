//! Role addresses: mailboxes of a function or a company (`info@`, `sales@`, `support-de@`) rather
//! than of one person. A lead whose only address is a role address is a company contact.

/// True when `local_part` (the text before the `@`; a whole address is accepted too) names a role
/// rather than a person: `info`, `sales`, `noreply`, and the same with a team, country or number
/// suffix (`sales.uk`, `support-de`, `info2`, `jobs+cv`).
pub fn role_address(local_part: &str) -> bool {
    let local = local_part.split('@').next().unwrap_or_default().trim().to_lowercase();
    if local.is_empty() || local.len() > 64 {
        return false;
    }
    // A `+tag` never changes whose mailbox it is.
    let local = local.split('+').next().unwrap_or_default();
    let is_sep = |c: char| matches!(c, '.' | '-' | '_');
    let joined: String = local.chars().filter(|c| !is_sep(*c)).collect();
    let first = local.split(is_sep).next().unwrap_or_default();
    let is_role = |w: &str| {
        let w = w.trim_end_matches(|c: char| c.is_ascii_digit());
        ROLE_WORDS.binary_search(&w).is_ok()
    };
    is_role(first) || is_role(&joined)
}

/// Role mailbox names (English, German, French, Spanish, Italian, Portuguese, Dutch), sorted.
const ROLE_WORDS: &[&str] = &[
    "abuse", "account", "accounting", "accounts", "accueil", "admin", "administracion", "administration",
    "administrator", "admissions", "ads", "advertising", "affiliates", "amministrazione", "anfrage", "anfragen",
    "apply", "assistenza", "atencion", "atendimento", "auskunft", "bestellung", "bewerbung", "billing", "bonjour",
    "booking", "bookings", "buchhaltung", "buero", "bureau", "büro", "career", "careers", "ceo", "commercial",
    "commerciale", "community", "compliance", "comptabilite", "comptabilité", "contact", "contactenos", "contacto",
    "contacts", "contactus", "contato", "contatti", "contatto", "cs", "customercare", "customerservice",
    "customersupport", "datenschutz", "devis", "direction", "donotreply", "dpo", "ecommerce", "editor", "editorial",
    "editors", "empfang", "enquiries", "enquiry", "events", "facturacion", "facturation", "fattura", "feedback",
    "finance", "financeiro", "gdpr", "general", "hello", "help", "helpdesk", "hi", "hola", "hr", "impressum", "info",
    "informacion", "information", "infos", "inquiries", "inquiry", "investor", "investors", "invoice", "invoices",
    "ir", "it", "jobs", "kontakt", "kundenservice", "legal", "mail", "mailbox", "marketing", "media", "membership",
    "news", "newsletter", "noreply", "nospam", "notifications", "office", "ola", "olá", "operations", "orders",
    "partner", "partners", "partnerships", "payments", "payroll", "postmaster", "pr", "press", "presse", "privacy",
    "purchasing", "recepcion", "reception", "rechnung", "recruiting", "recruitment", "recrutement", "redaktion",
    "reservas", "reservations", "reservierung", "root", "sac", "sales", "sav", "secretaria", "secretariat",
    "security", "service", "serviceclient", "servicedesk", "services", "shop", "soporte", "spam", "staff", "store",
    "studio", "suporte", "support", "talent", "team", "tech", "techsupport", "vendas", "ventas", "verkauf",
    "vertrieb", "verwaltung", "webmaster", "welcome", "www",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_words_are_sorted() {
        assert!(ROLE_WORDS.windows(2).all(|w| w[0] < w[1]), "ROLE_WORDS must stay sorted");
    }

    #[test]
    fn roles() {
        for local in [
            "info", "INFO", "sales", "support", "contact", "hello", "hi", "office", "admin", "team", "hr", "jobs",
            "careers", "press", "media", "marketing", "billing", "accounts", "help", "service", "enquiries",
            "inquiries", "bookings", "reservations", "orders", "noreply", "no-reply", "no_reply", "webmaster",
            "privacy", "legal", "security", "feedback", "partners", "events", "reception", "general", "mail",
            "sales.uk", "support-de", "info2", "info+web", "jobs@acme.com", "kontakt", "contacto", "donotreply",
            "do-not-reply", "customer.service", "contact-us",
        ] {
            assert!(role_address(local), "{local:?} is a role address");
        }
    }

    #[test]
    fn people() {
        for local in ["jane", "jane.doe", "j.doe", "jdoe", "john-smith", "", "infobip.jane", "mary-ann"] {
            assert!(!role_address(local), "{local:?} is a person");
        }
        assert!(!role_address(&"x".repeat(100)));
    }
}
