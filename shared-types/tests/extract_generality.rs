//! Rules that hold on pages nobody tuned the extractor on: small realistic snippets in several
//! languages and layouts, each run through the whole pipeline (HTML → snapshot → candidates).
#![cfg(feature = "html")]

use leadsync_types::extract::html::snapshot_from_html;
use leadsync_types::extract::{extract, CandidateField, ContactKind, LeadCandidate};

fn run(html: &str, url: &str) -> Vec<LeadCandidate> {
    extract(&snapshot_from_html(html, url))
}

fn with_name<'a>(cs: &'a [LeadCandidate], name: &str) -> Option<&'a LeadCandidate> {
    cs.iter()
        .find(|c| c.best(CandidateField::Name) == Some(name))
}

fn values(c: &LeadCandidate, field: CandidateField) -> Vec<&str> {
    c.values
        .iter()
        .filter(|v| v.field == field)
        .map(|v| v.value.as_str())
        .collect()
}

fn all_emails(cs: &[LeadCandidate]) -> Vec<&str> {
    cs.iter()
        .flat_map(|c| values(c, CandidateField::Email))
        .collect()
}

fn all_phones(cs: &[LeadCandidate]) -> Vec<&str> {
    cs.iter()
        .flat_map(|c| values(c, CandidateField::Phone))
        .collect()
}

#[test]
fn a_bare_extension_beside_a_team_mailbox_is_the_persons_line() {
    let pages = [
        (
            "https://www.harlowandpike.co.uk/team",
            "<html lang=\"en\"><body><p>Switchboard: 0113 496 0500</p><table>\
             <tr><th>Name</th><th>Role</th><th>Phone</th><th>Email</th></tr>\
             <tr><td>Laura Pike</td><td>Audit Manager</td><td>0113 496 0524</td>\
             <td><a href=\"mailto:laura.pike@harlowandpike.co.uk\">Email Laura</a></td></tr>\
             <tr><td>Martin Hale</td><td>Payroll Manager</td><td>ext. 530</td>\
             <td><a href=\"mailto:payroll@harlowandpike.co.uk\">payroll@harlowandpike.co.uk</a></td></tr>\
             </table></body></html>",
            "Martin Hale",
            "+441134960500",
            "payroll@harlowandpike.co.uk",
        ),
        (
            "https://www.studioverdi.it/chi-siamo",
            "<html lang=\"it\"><body><p>Centralino: 02 8725 3100</p><table>\
             <tr><th>Nome</th><th>Ruolo</th><th>Telefono</th><th>E-mail</th></tr>\
             <tr><td>Dott. Luca Verdi</td><td>Socio</td><td>02 8725 3144</td>\
             <td><a href=\"mailto:l.verdi@studioverdi.it\">l.verdi@studioverdi.it</a></td></tr>\
             <tr><td><strong>Rag. Elena Galli</strong></td><td>Responsabile Area Paghe</td><td>int. 34</td>\
             <td><a href=\"mailto:paghe@studioverdi.it\">paghe@studioverdi.it</a></td></tr>\
             </table></body></html>",
            "Rag. Elena Galli",
            "+390287253100",
            "paghe@studioverdi.it",
        ),
    ];
    for (url, html, name, main, mailbox) in pages {
        let cs = run(html, url);
        let person = with_name(&cs, name).unwrap_or_else(|| panic!("{name}: {cs:#?}"));
        assert_eq!(person.kind, ContactKind::Person, "{name}");
        assert!(
            values(person, CandidateField::Phone).contains(&main),
            "{cs:#?}"
        );
        assert!(
            !values(person, CandidateField::Email).contains(&mailbox),
            "{cs:#?}"
        );
        assert!(
            cs.iter().any(|c| c.kind == ContactKind::Company
                && values(c, CandidateField::Email).contains(&mailbox)),
            "{cs:#?}"
        );
        assert!(
            !cs.iter().any(|c| c
                .best(CandidateField::Name)
                .is_some_and(|n| n.contains("Area") || n.contains("Manager"))),
            "{cs:#?}"
        );
    }
}

#[test]
fn a_team_mailbox_in_prose_is_no_persons() {
    let html = "<html lang=\"en\"><body>\
        <p><strong>Kofi Mensah</strong> coordinates our volunteers. Questions about shifts go to \
        <a href=\"mailto:volunteers@riverbendpantry.org\">volunteers@riverbendpantry.org</a>, which \
        the whole volunteer team reads.</p>\
        <p>To write to the trustees, use <a href=\"mailto:board@riverbendpantry.org\">board@riverbendpantry.org</a>.</p>\
        </body></html>";
    let cs = run(html, "https://www.riverbendpantry.org/staff");
    for mailbox in [
        "volunteers@riverbendpantry.org",
        "board@riverbendpantry.org",
    ] {
        let c = cs
            .iter()
            .find(|c| values(c, CandidateField::Email).contains(&mailbox))
            .unwrap_or_else(|| panic!("{mailbox}: {cs:#?}"));
        assert_eq!(c.kind, ContactKind::Company, "{c:#?}");
        assert_eq!(c.best(CandidateField::Name), None, "{c:#?}");
    }
}

#[test]
fn no_reply_senders_are_no_contacts() {
    let html = "<html lang=\"en\"><body><p>This message was sent from \
        <a href=\"mailto:no-reply@e.larkfieldgoods.com\">no-reply@e.larkfieldgoods.com</a>. \
        Please do not reply. Questions? Write to help@larkfieldgoods.com.</p>\
        <p>Bounces: bounce+8812@mail.larkfieldgoods.com · donotreply@larkfieldgoods.com</p></body></html>";
    let cs = run(html, "https://www.larkfieldgoods.com/order");
    assert_eq!(all_emails(&cs), ["help@larkfieldgoods.com"], "{cs:#?}");
}

#[test]
fn prose_pointing_at_a_website_is_no_address() {
    let html = "<html lang=\"en\"><body><p>You placed an order at larkfieldgoods.com on 3 May.</p>\
        <p>Check the system status at status.larkfieldgoods.io before opening a ticket, or mail \
        support at larkfieldgoods dot com, or ops [at] larkfieldgoods.com.</p></body></html>";
    let mut emails = all_emails(&run(html, "https://www.larkfieldgoods.com/help"))
        .into_iter()
        .map(str::to_string)
        .collect::<Vec<_>>();
    emails.sort();
    assert_eq!(
        emails,
        ["ops@larkfieldgoods.com", "support@larkfieldgoods.com"]
    );
}

#[test]
fn an_account_number_in_a_sentence_is_no_phone() {
    let html = "<html lang=\"en\"><body>\
        <p>I was charged twice. My account number is 01614960882 and nothing changed.</p>\
        <p>Hi, I've checked account 01614960882: the second charge was a duplicate.</p>\
        <p>Kind regards, Nadia Fox — direct line 0113 496 0421</p></body></html>";
    let cs = run(html, "https://help.larkfieldbill.co.uk/answers/1");
    assert_eq!(all_phones(&cs), ["+441134960421"], "{cs:#?}");
}

#[test]
fn a_card_with_two_addresses_and_a_subtitle_is_one_person() {
    let html = "<html lang=\"en\"><body><div class=\"grid\">\
        <div class=\"card\"><h3>Priya Raman</h3><h4>Sales Representative · The Raman Group</h4>\
        <ul><li>Cell: <a href=\"tel:+14165550142\">416-555-0142</a></li>\
        <li><a href=\"mailto:priya.raman@northgaterealty.ca\">Email Priya</a></li>\
        <li>Team site: <a href=\"mailto:priya@ramangroup.ca\">priya@ramangroup.ca</a></li></ul></div>\
        <div class=\"card\"><h3>Tom Becker</h3><h4>Broker</h4>\
        <ul><li>Cell: <a href=\"tel:+14165550177\">416-555-0177</a></li>\
        <li><a href=\"mailto:tom.becker@northgaterealty.ca\">Email Tom</a></li></ul></div>\
        </div></body></html>";
    let cs = run(html, "https://www.northgaterealty.ca/agents");
    let priya = with_name(&cs, "Priya Raman").unwrap_or_else(|| panic!("{cs:#?}"));
    let mut emails = values(priya, CandidateField::Email);
    emails.sort();
    assert_eq!(
        emails,
        ["priya.raman@northgaterealty.ca", "priya@ramangroup.ca"]
    );
    assert_eq!(values(priya, CandidateField::Phone), ["+14165550142"]);
    let tom = with_name(&cs, "Tom Becker").unwrap_or_else(|| panic!("{cs:#?}"));
    assert_eq!(
        values(tom, CandidateField::Email),
        ["tom.becker@northgaterealty.ca"]
    );
}

#[test]
fn a_column_header_gives_the_start_of_the_numbers_below_it() {
    let pages = [
        (
            "https://www.physik.uni-havelberg.de/team",
            "<html lang=\"de\"><body><table>\
             <thead><tr><th>Name</th><th>Raum</th><th>Tel. +49 30 2093-</th><th>E-Mail</th></tr></thead>\
             <tbody><tr><td>Dr. Karin Vogt</td><td>1.204</td><td>4411</td>\
             <td><a href=\"mailto:k.vogt@physik.uni-havelberg.de\">k.vogt@physik.uni-havelberg.de</a></td></tr>\
             <tr><td>Lars Brenner</td><td>1.207</td><td>4417</td>\
             <td><a href=\"mailto:l.brenner@physik.uni-havelberg.de\">l.brenner@physik.uni-havelberg.de</a></td></tr>\
             </tbody></table></body></html>",
            [("Dr. Karin Vogt", "+493020934411"), ("Lars Brenner", "+493020934417")],
        ),
        (
            "https://www.marlowhart.co.uk/people",
            "<html lang=\"en-GB\"><body><table>\
             <tr><th>Name</th><th>Direct dial (020 7946 0…)</th><th>Email</th></tr>\
             <tr><td>Olivia Hart</td><td>958</td><td><a href=\"mailto:olivia.hart@marlowhart.co.uk\">olivia.hart@marlowhart.co.uk</a></td></tr>\
             <tr><td>Ben Marlow</td><td>961</td><td><a href=\"mailto:ben.marlow@marlowhart.co.uk\">ben.marlow@marlowhart.co.uk</a></td></tr>\
             </table></body></html>",
            [("Olivia Hart", "+442079460958"), ("Ben Marlow", "+442079460961")],
        ),
    ];
    for (url, html, people) in pages {
        let cs = run(html, url);
        for (name, phone) in people {
            let c = with_name(&cs, name).unwrap_or_else(|| panic!("{name}: {cs:#?}"));
            assert_eq!(values(c, CandidateField::Phone), [phone], "{name}: {cs:#?}");
        }
    }
}
