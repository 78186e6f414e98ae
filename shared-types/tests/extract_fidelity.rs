#![cfg(feature = "html")]
//! Extraction fidelity (issue 9): what a person reading the page would call a contact, and whose.
//! Realistic snippets in several languages and layouts, through the native snapshot builder and
//! the extraction core the extension runs.

use leadsync_types::extract::html::snapshot_from_html;
use leadsync_types::extract::{extract, CandidateField as F, ContactKind, LeadCandidate};

fn run(html: &str, url: &str) -> Vec<LeadCandidate> {
    extract(&snapshot_from_html(html, url))
}

fn all(found: &[LeadCandidate], field: F) -> Vec<String> {
    let mut v: Vec<String> = found
        .iter()
        .flat_map(|c| c.values.iter())
        .filter(|v| v.field == field)
        .map(|v| v.value.clone())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// The candidate holding `email` (or phone).
fn holder<'a>(found: &'a [LeadCandidate], field: F, value: &str) -> &'a LeadCandidate {
    found
        .iter()
        .find(|c| {
            c.values
                .iter()
                .any(|v| v.field == field && v.value == value)
        })
        .unwrap_or_else(|| panic!("no candidate holds {value}: {found:#?}"))
}

fn page(lang: &str, body: &str) -> String {
    format!("<!doctype html><html lang=\"{lang}\"><head><title>t</title></head><body>{body}</body></html>")
}

// ---------------------------------------------------------------------------------------------
// False contacts
// ---------------------------------------------------------------------------------------------

#[test]
fn example_and_template_addresses_are_not_contacts() {
    let html = page(
        "en-GB",
        r#"<main><h1>Contact the Fenwick team</h1>
        <p>Every colleague's address follows the same pattern, e.g. <code>firstname.lastname@fenwick-legal.co.uk</code>.</p>
        <p>Staff addresses use the format: j.smith@fenwick-legal.co.uk</p>
        <p>Enquiries: <a href="mailto:enquiries@fenwick-legal.co.uk">enquiries@fenwick-legal.co.uk</a></p>
        <div class="card"><h3>Priya Nair</h3><p>Partner</p><p>priya.nair@fenwick-legal.co.uk</p></div></main>"#,
    );
    let found = run(&html, "https://www.fenwick-legal.co.uk/contact");
    assert_eq!(
        all(&found, F::Email),
        [
            "enquiries@fenwick-legal.co.uk",
            "priya.nair@fenwick-legal.co.uk"
        ],
        "{found:#?}"
    );
}

#[test]
fn examples_in_german_french_and_japanese() {
    let de = page("de-DE", "<p>Unsere Adressen lauten z. B. vorname.nachname@hafenwerk.de oder m.muster@hafenwerk.de.</p><p>Kontakt: info@hafenwerk.de</p>");
    assert_eq!(
        all(&run(&de, "https://www.hafenwerk.de/"), F::Email),
        ["info@hafenwerk.de"]
    );
    let fr = page("fr-FR", "<p>Écrivez-nous, par exemple : prenom.nom@atelier-lumen.fr</p><p>Accueil : <a href=\"mailto:bonjour@atelier-lumen.fr\">bonjour@atelier-lumen.fr</a></p>");
    assert_eq!(
        all(&run(&fr, "https://www.atelier-lumen.fr/"), F::Email),
        ["bonjour@atelier-lumen.fr"]
    );
    let ja = page("ja", "<dl><dt>メールアドレス入力例：</dt><dd>taro.yamada@sakura-kogyo.co.jp</dd><dt>お問い合わせ</dt><dd>info@sakura-kogyo.co.jp</dd></dl>");
    assert_eq!(
        all(&run(&ja, "https://www.sakura-kogyo.co.jp/"), F::Email),
        ["info@sakura-kogyo.co.jp"]
    );
}

#[test]
fn masked_addresses_are_not_contacts() {
    let html = page(
        "en-US",
        r#"<div class="account"><p>We sent a code to j***@gmail.com and to j.d****@outlook.com.</p>
        <p>Questions? <a href="mailto:help@ledgerly.com">help@ledgerly.com</a></p></div>"#,
    );
    assert_eq!(
        all(&run(&html, "https://www.ledgerly.com/verify"), F::Email),
        ["help@ledgerly.com"]
    );
}

#[test]
fn document_numbers_are_not_phones() {
    // An invoice: the numbers' labels sit in the same text, or in the cell before them.
    let html = page(
        "en-GB",
        r#"<table class="invoice">
          <tr><th>Invoice number</th><td>0201234567</td></tr>
          <tr><th>Customer no.</th><td>02079460123</td></tr>
          <tr><th>VAT</th><td>GB 123 4567 89</td></tr>
          <tr><th>Order reference</th><td>0161 496 0999</td></tr>
        </table>
        <p>Tracking number: 0113 496 0777</p>
        <p>Ticket #0117 496 0555 has been updated.</p>
        <p>Questions about this invoice? Call 020 7946 0958.</p>"#,
    );
    assert_eq!(
        all(
            &run(&html, "https://www.pennine-supplies.co.uk/invoice/2024-118"),
            F::Phone
        ),
        ["+442079460958"]
    );
}

#[test]
fn document_numbers_in_german_french_and_japanese() {
    let de = page(
        "de-DE",
        r#"<dl><dt>Rechnungsnummer</dt><dd>0221 4711 0815</dd><dt>Kundennummer:</dt><dd>030 901820</dd>
        <dt>USt-IdNr.</dt><dd>DE 287451903</dd><dt>Telefon</dt><dd>0221 27 36 48 0</dd></dl>"#,
    );
    assert_eq!(
        all(&run(&de, "https://www.kontor-koeln.de/rechnung"), F::Phone),
        ["+492212736480"]
    );
    let fr = page(
        "fr-FR",
        r#"<p>Numéro de commande : 01 42 68 53 00</p><p>N° TVA intracommunautaire : FR 40 0142685301</p>
        <p>SIRET : 01 42 68 53 02</p><p>Service client : 01 42 68 53 10</p>"#,
    );
    assert_eq!(
        all(
            &run(&fr, "https://www.maison-verdier.fr/commande"),
            F::Phone
        ),
        ["+33142685310"]
    );
    let ja = page("ja", "<table><tr><th>注文番号</th><td>03-5219-7731</td></tr><tr><th>電話番号</th><td>03-5219-7730</td></tr></table>");
    assert_eq!(
        all(&run(&ja, "https://www.sakura-kogyo.co.jp/order"), F::Phone),
        ["+81352197730"]
    );
}

// ---------------------------------------------------------------------------------------------
// Missed contacts
// ---------------------------------------------------------------------------------------------

#[test]
fn addresses_hidden_the_way_other_languages_hide_them() {
    let html = page(
        "fr-FR",
        r#"<ul>
          <li>Claire Vasseur — claire.vasseur [at] atelier-lumen [point] fr</li>
          <li>Accueil : accueil (arobase) atelier-lumen (point) fr</li>
        </ul>"#,
    );
    assert_eq!(
        all(&run(&html, "https://www.atelier-lumen.fr/equipe"), F::Email),
        [
            "accueil@atelier-lumen.fr",
            "claire.vasseur@atelier-lumen.fr"
        ]
    );
    let de = page("de-DE", "<p>Schreiben Sie an kontakt(at)hafenwerk(punkt)de oder an m.yilmaz [ät] hafenwerk [punkt] de.</p>");
    assert_eq!(
        all(&run(&de, "https://www.hafenwerk.de/"), F::Email),
        ["kontakt@hafenwerk.de", "m.yilmaz@hafenwerk.de"]
    );
    let ja = page(
        "ja",
        "<dl><dt>お問い合わせ</dt><dd>info＠sakura-kogyo．co．jp</dd><dt>採用担当</dt><dd>recruit★sakura-kogyo.co.jp（★を@に変えてください）</dd></dl>",
    );
    assert_eq!(
        all(&run(&ja, "https://www.sakura-kogyo.co.jp/"), F::Email),
        ["info@sakura-kogyo.co.jp", "recruit@sakura-kogyo.co.jp"]
    );
    // A star in prose is no address.
    let prose = page("en", "<p>Rated ★ excellent.co by our clients ★ thanks</p>");
    assert!(all(&run(&prose, "https://www.acme.com/"), F::Email).is_empty());
}

#[test]
fn numbers_only_inside_whatsapp_and_sms_links() {
    let html = page(
        "de-DE",
        r#"<div class="card"><h3>Lena Vogt</h3><p>Kundenberatung</p>
          <a href="https://wa.me/4915112345678">Per WhatsApp schreiben</a></div>
        <div class="card"><h3>Jonas Keller</h3>
          <a href="https://api.whatsapp.com/send?phone=491701234567&amp;text=Hallo">WhatsApp</a>
          <a href="sms:+4916098765432">SMS</a></div>"#,
    );
    let found = run(&html, "https://www.hafenwerk.de/team");
    assert_eq!(
        all(&found, F::Phone),
        ["+4915112345678", "+4916098765432", "+491701234567"]
    );
    assert_eq!(
        holder(&found, F::Phone, "+4915112345678").best(F::Name),
        Some("Lena Vogt")
    );
    assert_eq!(
        holder(&found, F::Phone, "+491701234567").best(F::Name),
        Some("Jonas Keller")
    );
    // A WhatsApp link without a number (a share link) gives nothing.
    let share = page(
        "en",
        r#"<a href="https://api.whatsapp.com/send?text=Look%20at%20this">Share</a>"#,
    );
    assert!(all(&run(&share, "https://www.acme.com/"), F::Phone).is_empty());
}

#[test]
fn extension_only_numbers_take_the_main_number() {
    let html = page(
        "en-CA",
        r#"<header><p>Main line: <a href="tel:+16046812345">(604) 681-2345</a></p></header>
        <main><ul class="team">
          <li><h3>Hannah Cole</h3><p>Office Manager</p><p>x4312</p></li>
          <li><h3>Marcus Lee</h3><p>Bookkeeper</p><p>Ext. 4318 · marcus.lee@northshore-cpa.ca</p></li>
        </ul></main>"#,
    );
    let found = run(&html, "https://www.northshore-cpa.ca/team");
    let hannah = holder(&found, F::Name, "Hannah Cole");
    assert_eq!(hannah.best(F::Phone), Some("+16046812345"), "{found:#?}");
    let marcus = holder(&found, F::Email, "marcus.lee@northshore-cpa.ca");
    assert_eq!(
        (marcus.best(F::Name), marcus.best(F::Phone)),
        (Some("Marcus Lee"), Some("+16046812345"))
    );
    // The main line stays a contact of its own: the two people are not merged into it.
    assert!(
        found
            .iter()
            .any(|c| c.best(F::Name).is_none() && c.best(F::Phone) == Some("+16046812345")),
        "{found:#?}"
    );
}

#[test]
fn a_german_durchwahl_replaces_the_final_zero() {
    let html = page(
        "de-DE",
        r#"<p>Zentrale: Telefon 040 306852-0 (Telefax 040 306852-99)</p>
        <ul><li><h3>Jens Brenner</h3><p>Steuerberater</p><p><span>Durchwahl -211</span> <span>j.brenner(at)brenner-stb.de</span></p></li>
        <li><h3>Katrin Albers</h3><p><span>Durchwahl -214</span><span>Mobil 0171 2384556</span></p></li></ul>"#,
    );
    let found = run(&html, "https://www.brenner-stb.de/team/");
    assert_eq!(
        holder(&found, F::Email, "j.brenner@brenner-stb.de").best(F::Phone),
        Some("+4940306852211")
    );
    let katrin = holder(&found, F::Name, "Katrin Albers");
    let phones: Vec<&str> = katrin
        .values
        .iter()
        .filter(|v| v.field == F::Phone)
        .map(|v| v.value.as_str())
        .collect();
    assert!(
        phones.contains(&"+4940306852214") && phones.contains(&"+491712384556"),
        "{found:#?}"
    );
}

#[test]
fn stand_ins_after_cjk_labels_and_prose_about_the_disguise() {
    let ja = page("ja", "<ul><li>メール：sato◆hikari-design.jp</li><li>お問い合わせ：info◆hikari-design.jp</li></ul>");
    assert_eq!(
        all(&run(&ja, "https://www.hikari-design.jp/"), F::Email),
        ["info@hikari-design.jp", "sato@hikari-design.jp"]
    );
    let de = page("de-DE", "<p>Bitte ersetzen Sie in den E-Mail-Adressen (at) durch @ und (punkt) durch einen Punkt.</p>");
    assert!(all(&run(&de, "https://www.hs-rheinfeld.de/"), F::Email).is_empty());
    let fr = page("fr-FR", "<p>Les adresses sont écrites avec [at] et [point] ou (arobase) : remplacez-les par @ et « . ».</p>");
    assert!(all(&run(&fr, "https://www.univ-valsaone.fr/"), F::Email).is_empty());
}

#[test]
fn codes_joined_by_hyphens_are_not_phones() {
    let html = page("en-US", "<p>Order #HF-2024-881734 is confirmed. Case TF-2024-118734 can be closed. Questions? Call 202-488-1700.</p>");
    assert_eq!(
        all(&run(&html, "https://www.harborfresh.com/order"), F::Phone),
        ["+12024881700"]
    );
}

// ---------------------------------------------------------------------------------------------
// Names as a person would read the page
// ---------------------------------------------------------------------------------------------

#[test]
fn link_action_text_is_never_a_name() {
    let html = page(
        "en-GB",
        r#"<article class="person"><h2>Sarah Whitfield</h2><p>Partner</p>
          <a class="btn" href="mailto:s.whitfield@hallidaycroft.co.uk">Email Sarah</a></article>
        <article class="person"><p>Press enquiries</p><a href="mailto:press@hallidaycroft.co.uk">Contact Us</a></article>
        <div class="cta"><a href="mailto:conor.walsh@hallidaycroft.co.uk">Email Conor</a> <a href="tel:+35314852231">Call Conor</a></div>
        <nav><a href="/portal">Client Portal</a> <a href="mailto:jo.brandt@hallidaycroft.co.uk">Book a Call</a></nav>"#,
    );
    let found = run(&html, "https://www.hallidaycroft.co.uk/people");
    assert_eq!(
        holder(&found, F::Email, "s.whitfield@hallidaycroft.co.uk").best(F::Name),
        Some("Sarah Whitfield")
    );
    for c in &found {
        let name = c.best(F::Name).unwrap_or_default();
        assert!(
            ![
                "Email Conor",
                "Call Conor",
                "Client Portal",
                "Contact Us",
                "Book a Call",
                "Email Sarah"
            ]
            .contains(&name),
            "{found:#?}"
        );
    }
    let fr = page(
        "fr-FR",
        r#"<dl><dt>Claire Vasseur</dt><dd>Directrice</dd><dd><a href="mailto:claire@atelier-lumen.fr">Écrire à Claire</a></dd></dl>"#,
    );
    assert_eq!(
        run(&fr, "https://www.atelier-lumen.fr/")[0].best(F::Name),
        Some("Claire Vasseur")
    );
    let de = page(
        "de-DE",
        r#"<div><p><a href="mailto:jens@hafenwerk.de">E-Mail an Jens</a></p></div>"#,
    );
    assert_eq!(run(&de, "https://www.hafenwerk.de/")[0].best(F::Name), None);
}

#[test]
fn buildings_departments_and_companies_are_not_people() {
    let html = page(
        "en-IE",
        r#"<div class="dept"><h3>Customer Service</h3><p>Harbour House, Grand Canal Quay</p><p>+353 1 485 2200 · support@corribanalytics.ie</p></div>
        <div class="dept"><h3>Privacy Office</h3><p>Data Protection Officer</p><p>dpo@corribanalytics.ie · +353 1 485 2290</p></div>
        <div class="dept"><h3>Accounts Payable</h3><p>Tower 2, Block C</p><p>payables.team@corribanalytics.ie</p></div>
        <div class="company"><h3>Corrib Analytics Ltd</h3><p>hello@corribanalytics.ie</p></div>"#,
    );
    let found = run(&html, "https://www.corribanalytics.ie/contact");
    for c in &found {
        assert_eq!(c.best(F::Name), None, "{found:#?}");
    }
    assert_eq!(
        holder(&found, F::Email, "dpo@corribanalytics.ie").kind,
        ContactKind::Company
    );
    assert_eq!(
        holder(&found, F::Phone, "+35314852290").kind,
        ContactKind::Company
    );
    let other = page(
        "de-DE",
        r#"<ul><li><h4>Personalabteilung</h4><p>Gebäude H, Haus A</p><p>personal@hafenwerk.de</p></li>
        <li><h4>Service client</h4><p>Bâtiment B</p><p>sc@hafenwerk.de</p></li>
        <li><h4>Tischlerei Hoffmann GmbH</h4><p>Inh. Petra Hoffmann</p><p>0221 27 36 48 0</p></li></ul>"#,
    );
    let found = run(&other, "https://www.hafenwerk.de/kontakt");
    assert_eq!(
        holder(&found, F::Email, "personal@hafenwerk.de").best(F::Name),
        None
    );
    assert_eq!(
        holder(&found, F::Email, "sc@hafenwerk.de").best(F::Name),
        None
    );
    assert_eq!(
        holder(&found, F::Phone, "+492212736480").best(F::Name),
        Some("Petra Hoffmann")
    );
}

#[test]
fn academic_titles_stay_in_the_name_as_displayed() {
    let html = page(
        "de-DE",
        r#"<div class="person"><h3>Prof. Dr. Ulrike Hartmann</h3><p>Lehrstuhlinhaberin</p><p>u.hartmann@hs-rheinfeld.de</p></div>"#,
    );
    assert_eq!(
        run(&html, "https://www.hs-rheinfeld.de/lehrstuhl")[0].best(F::Name),
        Some("Prof. Dr. Ulrike Hartmann")
    );
}

#[test]
fn a_department_mailbox_next_to_a_named_person_stays_the_company_s() {
    let html = page(
        "fr-FR",
        "<div class=\"facture\"><p>Une question sur cette facture ? Contactez Sophie Martin, service comptabilité :\n 01 44 27 18 57 – compta [at] imprimerie-delaunay [point] fr</p></div>",
    );
    let found = run(&html, "https://www.imprimerie-delaunay.fr/facture");
    let sophie = holder(&found, F::Phone, "+33144271857");
    assert_eq!(
        (sophie.kind, sophie.best(F::Name)),
        (ContactKind::Person, Some("Sophie Martin")),
        "{found:#?}"
    );
    let mailbox = holder(&found, F::Email, "compta@imprimerie-delaunay.fr");
    assert_eq!(
        (mailbox.kind, mailbox.best(F::Name)),
        (ContactKind::Company, None)
    );
}

#[test]
fn the_site_s_own_name_is_not_a_person() {
    let html = page("en-GB", "<footer><p>Pennine Outdoor</p><p>Call 0161 496 0320 or write to info@pennine-outdoor.co.uk</p></footer>");
    let found = run(&html, "https://www.pennine-outdoor.co.uk/contact");
    assert!(
        found.iter().all(|c| c.best(F::Name).is_none()),
        "{found:#?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Nothing found is dropped, and nobody gets a neighbour's contact
// ---------------------------------------------------------------------------------------------

#[test]
fn one_person_with_two_addresses_and_two_numbers_is_one_candidate() {
    let html = page(
        "en-GB",
        r#"<section class="member"><h2>Anna Krüger-Hughes</h2><p>MITI – Member of the Institute of Translation</p>
          <table><tr><td>Email</td><td><a href="mailto:anna@krueger-translations.co.uk">anna@krueger-translations.co.uk</a></td></tr>
          <tr><td>Alternative email</td><td><a href="mailto:a.kruegerhughes@proton.me">a.kruegerhughes@proton.me</a></td></tr>
          <tr><td>Phone</td><td>0161 496 0455</td></tr><tr><td>Mobile</td><td>07958 116730</td></tr></table></section>
        <section class="member"><h2>Javier Morales Ortiz</h2>
          <table><tr><td>Email</td><td>javier@moralestranslation.com</td></tr><tr><td>Mobile</td><td>+44 7523 884120</td></tr></table></section>"#,
    );
    let found = run(&html, "https://www.iti-directory.org.uk/search");
    let anna = holder(&found, F::Email, "anna@krueger-translations.co.uk");
    assert_eq!(anna.best(F::Name), Some("Anna Krüger-Hughes"));
    for (field, v) in [
        (F::Email, "a.kruegerhughes@proton.me"),
        (F::Phone, "+441614960455"),
        (F::Phone, "+447958116730"),
    ] {
        assert!(
            anna.values.iter().any(|x| x.field == field && x.value == v),
            "{v} not on Anna: {found:#?}"
        );
    }
    let javier = holder(&found, F::Email, "javier@moralestranslation.com");
    assert_eq!(
        (javier.best(F::Name), javier.best(F::Phone)),
        (Some("Javier Morales Ortiz"), Some("+447523884120"))
    );
    // Every value found is on some candidate, and no candidate holds two people's addresses.
    assert!(found.iter().all(|c| !(c
        .values
        .iter()
        .any(|v| v.value == "javier@moralestranslation.com")
        && c.values.iter().any(|v| v.value.starts_with("anna@")))));
}

#[test]
fn a_signature_names_the_person_not_the_badge() {
    let html = page(
        "en-US",
        r#"<article class="answer"><p>Hi Derek,</p><p>Reconnect the feed from Banking › Connections. If it still fails, email me at
          <a href="mailto:maria@brightdesk.com">maria@brightdesk.com</a>.</p><p class="sig">Maria, Brightdesk Expert</p></article>"#,
    );
    let found = run(&html, "https://community.brightdesk.com/t/88230");
    let maria = holder(&found, F::Email, "maria@brightdesk.com");
    assert_eq!(maria.best(F::Name), Some("Maria"), "{found:#?}");
    let de = page(
        "de-DE",
        r#"<div class="antwort"><p>Schreiben Sie mir gern direkt: <a href="mailto:j.schulte@stromwerk-nord.de">j.schulte@stromwerk-nord.de</a></p>
          <p class="sig">— Jana</p></div>"#,
    );
    assert_eq!(
        run(&de, "https://hilfe.stromwerk-nord.de/")[0].best(F::Name),
        Some("Jana")
    );
}

#[test]
fn an_extension_column_under_the_switchboard() {
    let html = page(
        "en-US",
        r#"<p class="top">Main switchboard: (312) 726-4100</p>
        <table><thead><tr><th>Name</th><th>Title</th><th>Extension</th><th>Email</th></tr></thead>
        <tbody><tr><td>Marcus Bell</td><td>Director of Financial Aid</td><td>4260</td><td><a href="mailto:mbell@lakeshorecc.edu">mbell@lakeshorecc.edu</a></td></tr>
        <tr><td>Aisha Rahman</td><td>Financial Aid Advisor</td><td>4263</td><td><a href="mailto:arahman@lakeshorecc.edu">arahman@lakeshorecc.edu</a></td></tr></tbody></table>
        <dl><dt>Kimberly Tran</dt><dd>Records Specialist</dd><dt>Ext.</dt><dd>4325</dd></dl>"#,
    );
    let found = run(&html, "https://www.lakeshorecc.edu/directory");
    for email in ["mbell@lakeshorecc.edu", "arahman@lakeshorecc.edu"] {
        assert_eq!(
            holder(&found, F::Email, email).best(F::Phone),
            Some("+13127264100"),
            "{found:#?}"
        );
    }
    assert_eq!(
        holder(&found, F::Email, "mbell@lakeshorecc.edu").best(F::Name),
        Some("Marcus Bell")
    );
}

#[test]
fn a_bio_with_labelled_numbers_keeps_every_number_on_the_person() {
    let html = page(
        "en-US",
        r#"<section class="bio"><h1>Rebecca Thornbury</h1><p class="title">Partner</p>
          <dl class="bio-contact"><dt>D</dt><dd><a href="tel:+12127365147">+1 212 736 5147</a></dd>
          <dt>M</dt><dd><a href="tel:+19172846630">+1 917 284 6630</a></dd>
          <dt>E</dt><dd><a href="mailto:rthornbury@ashgrovelyle.com">rthornbury@ashgrovelyle.com</a></dd></dl>
          <p><a href="mailto:rthornbury@ashgrovelyle.com">Email Rebecca</a></p></section>"#,
    );
    let found = run(
        &html,
        "https://www.ashgrovelyle.com/professionals/rebecca-thornbury",
    );
    let rebecca = holder(&found, F::Email, "rthornbury@ashgrovelyle.com");
    assert_eq!(rebecca.best(F::Name), Some("Rebecca Thornbury"));
    let phones: Vec<&str> = rebecca
        .values
        .iter()
        .filter(|v| v.field == F::Phone)
        .map(|v| v.value.as_str())
        .collect();
    assert!(
        phones.contains(&"+12127365147") && phones.contains(&"+19172846630"),
        "{found:#?}"
    );
}

#[test]
fn a_national_number_of_a_country_the_page_names() {
    let html = page(
        "en-US",
        "<p>Call support at 1-888-624-3170 (Mon–Fri), or in the UK on 020 3318 6604. Our Paris office: 01 42 68 53 00.</p>",
    );
    assert_eq!(
        all(&run(&html, "https://www.tallyflow.com/help"), F::Phone),
        ["+18886243170", "+33142685300", "+442033186604"]
    );
    // No country named: a foreign national number is not guessed.
    let plain = page("en-US", "<p>Reference 020 3318 6604 was filed.</p>");
    assert!(all(&run(&plain, "https://www.tallyflow.com/help"), F::Phone).is_empty());
}

#[test]
fn people_on_the_site_s_own_domain_get_its_name_as_company() {
    let html = r#"<!doctype html><html lang="en-GB"><head><title>Our people | Halliday Croft LLP – Solicitors in London and Leeds</title></head>
      <body><article><h2>Sarah Whitfield</h2><p>Partner</p><a href="mailto:s.whitfield@hallidaycroft.co.uk">s.whitfield@hallidaycroft.co.uk</a></article>
      <article><h2>Tom Baker</h2><p>Counsel at Baker Legal</p><a href="mailto:tom@bakerlegal.co.uk">tom@bakerlegal.co.uk</a></article></body></html>"#;
    let found = run(html, "https://www.hallidaycroft.co.uk/our-people/");
    assert_eq!(
        holder(&found, F::Email, "s.whitfield@hallidaycroft.co.uk").best(F::Company),
        Some("Halliday Croft LLP")
    );
    // Someone on another domain is not given the site's name.
    assert_eq!(
        holder(&found, F::Email, "tom@bakerlegal.co.uk").best(F::Company),
        None
    );
    let plain = r#"<!doctype html><html lang="en-IE"><head><title>Contact us | Corrib Analytics</title></head>
      <body><div><h3>Sarah Kinsella</h3><p>sarah.kinsella@corribanalytics.ie</p></div></body></html>"#;
    let found = run(plain, "https://www.corribanalytics.ie/contact-us/");
    assert_eq!(found[0].best(F::Company), Some("Corrib Analytics"));
}
