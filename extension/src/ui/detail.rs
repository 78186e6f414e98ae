//! One lead: edit its fields, status, tags and notes; delete it. Saved through the worker (stored
//! on this device first, then synced), with the worker's validation errors shown as they are.
//!
//! The lead is read again after every sync (a teammate's edit, another device). What the person
//! has typed is never overwritten by that: a field is an edit from its first keystroke (`input`,
//! not only `change` on blur), a refresh shows new values in the other fields only, and Save sends
//! only the edited fields.

use std::collections::BTreeMap;

use uuid::Uuid;

use yew::prelude::*;

use leadsync_types::{Field, LeadStatus};

use crate::api::{Request, Response};
use crate::local::{LeadEdit, LeadView};
use crate::ui::bridge::{ask, t};
use crate::ui::forms::field_value;
use crate::ui::leads::status_label;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub id: Uuid,
    /// Changes when leads may have changed (a sync completed): the lead is read again.
    #[prop_or_default]
    pub generation: u32,
    /// The signed-in user (to show "me" as owner and offer "Assign to me").
    pub me: Option<crate::status::Account>,
    pub on_close: Callback<()>,
}

/// The editable fields, in form order, with their label keys.
const EDITABLE: [(Field, &str); 8] = [
    (Field::Name, "fieldName"),
    (Field::Email, "fieldEmail"),
    (Field::Phone, "fieldPhone"),
    (Field::Company, "fieldCompany"),
    (Field::Title, "fieldTitle"),
    (Field::Website, "fieldWebsite"),
    (Field::Linkedin, "fieldLinkedin"),
    (Field::Location, "fieldLocation"),
];

fn form_of(l: &LeadView) -> BTreeMap<Field, String> {
    let mut m: BTreeMap<Field, String> = EDITABLE
        .iter()
        .map(|(f, _)| (*f, l.get(*f).unwrap_or_default().to_string()))
        .collect();
    m.insert(
        Field::Notes,
        l.get(Field::Notes).unwrap_or_default().to_string(),
    );
    m.insert(Field::Status, l.status.as_str().to_string());
    m.insert(
        Field::Owner,
        l.get(Field::Owner).unwrap_or_default().to_string(),
    );
    m
}

/// What the person changed in the form and has not saved yet.
#[derive(Clone, Debug, Default, PartialEq)]
struct Edits {
    fields: BTreeMap<Field, String>,
    tags: Option<String>,
    /// An e-mail or phone being typed, to add to the lead's other contacts.
    new_contact: Option<String>,
}

/// The lead on screen, or why it cannot be shown.
type Shown = Option<Result<LeadView, String>>;

/// Show `l` unless an answer about a newer state of the lead is already shown (answers to a
/// refresh and to a save can arrive in either order; a lead's registers only grow).
fn show(shown: &std::cell::RefCell<Shown>, l: LeadView) -> bool {
    let mut s = shown.borrow_mut();
    let newer = match &*s {
        Some(Ok(old)) => old.id != l.id || l.updated >= old.updated,
        _ => true,
    };
    if newer {
        *s = Some(Ok(l));
    }
    newer
}

#[function_component(LeadDetail)]
pub fn lead_detail(props: &Props) -> Html {
    // Kept outside the render state: handlers and answers arriving between two renders always
    // see the latest lead and the latest edits (a state handle from an older render would not).
    let shown = use_mut_ref(|| None::<Result<LeadView, String>>);
    let edits = use_mut_ref(Edits::default);
    let redraw = use_force_update();
    let note = use_state(|| None::<(bool, String)>);
    {
        let (shown, edits, redraw, id) = (shown.clone(), edits.clone(), redraw.clone(), props.id);
        use_effect_with((id, props.generation), move |_| {
            if !matches!(&*shown.borrow(), Some(Ok(l)) if l.id == id) {
                *edits.borrow_mut() = Edits::default();
            }
            wasm_bindgen_futures::spawn_local(async move {
                let answer = ask(&Request::GetLead { id }).await;
                let loaded = matches!(&*shown.borrow(), Some(Ok(l)) if l.id == id);
                match answer {
                    Ok(Response::Lead(l)) => {
                        show(&shown, l);
                    }
                    // A failed refresh leaves the lead on screen, and what is typed in it.
                    _ if loaded => return,
                    Ok(_) => *shown.borrow_mut() = Some(Err(t("errorUnexpected", &[]))),
                    Err(e) => *shown.borrow_mut() = Some(Err(e.message)),
                }
                redraw.force_update();
            });
            || ()
        });
    }
    let back = props.on_close.reform(|_: MouseEvent| ());
    let current = match &*shown.borrow() {
        None => return html! { <p class="muted">{ t("loading", &[]) }</p> },
        Some(Err(e)) => {
            return html! { <section><p class="error" role="alert">{ e }</p><button type="button" class="link" onclick={back}>{ t("back", &[]) }</button></section> }
        }
        Some(Ok(l)) => l.clone(),
    };
    let base = form_of(&current);
    // An edit, from the first keystroke; the form's values are the edits over the lead.
    let edit = |field: Field| {
        let (edits, redraw) = (edits.clone(), redraw.clone());
        move |e: &Event| {
            if let Some(v) = field_value(e) {
                edits.borrow_mut().fields.insert(field, v);
                redraw.force_update();
            }
        }
    };
    let on_input = |field: Field| {
        let edit = edit(field);
        Callback::from(move |e: InputEvent| {
            let e: &Event = &e;
            edit(e)
        })
    };
    let on_change = |field: Field| {
        let edit = edit(field);
        Callback::from(move |e: Event| edit(&e))
    };
    let on_tags = {
        let (edits, redraw) = (edits.clone(), redraw.clone());
        Callback::from(move |e: InputEvent| {
            if let Some(v) = field_value(&e) {
                edits.borrow_mut().tags = Some(v);
                redraw.force_update();
            }
        })
    };
    let on_new_contact = {
        let (edits, redraw) = (edits.clone(), redraw.clone());
        Callback::from(move |e: InputEvent| {
            if let Some(v) = field_value(&e) {
                edits.borrow_mut().new_contact = Some(v);
                redraw.force_update();
            }
        })
    };
    // Removing one of the other contacts is saved at once (like a chip's ×); the form keeps
    // whatever else is being typed.
    let remove_contact = |contact: String| {
        let (shown, note, redraw, id) = (shown.clone(), note.clone(), redraw.clone(), current.id);
        Callback::from(move |_: MouseEvent| {
            let request = Request::UpdateLead {
                id,
                edit: LeadEdit {
                    remove_contacts: vec![contact.clone()],
                    ..Default::default()
                },
            };
            let (shown, note, redraw) = (shown.clone(), note.clone(), redraw.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ask(&request).await {
                    Ok(Response::Lead(l)) => {
                        show(&shown, l);
                        redraw.force_update();
                    }
                    Ok(_) => note.set(Some((false, t("errorUnexpected", &[])))),
                    Err(e) => note.set(Some((false, e.message))),
                }
            });
        })
    };
    let onsubmit = {
        let (shown, edits, note, redraw) =
            (shown.clone(), edits.clone(), note.clone(), redraw.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(Ok(current)) = shown.borrow().clone() else {
                return;
            };
            let sent = edits.borrow().clone();
            let before = form_of(&current);
            let fields: BTreeMap<Field, Option<String>> = sent
                .fields
                .iter()
                .filter(|(f, v)| before.get(f) != Some(v))
                .map(|(f, v)| (*f, Some(v.clone()).filter(|v| !v.trim().is_empty())))
                .collect();
            let (mut add_tags, mut remove_tags) = (Vec::new(), Vec::new());
            if let Some(typed) = &sent.tags {
                let wanted: Vec<String> = typed
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_lowercase)
                    .collect();
                add_tags = wanted
                    .iter()
                    .filter(|t| !current.tags.contains(t))
                    .cloned()
                    .collect();
                remove_tags = current
                    .tags
                    .iter()
                    .filter(|t| !wanted.contains(t))
                    .cloned()
                    .collect();
            }
            let request = Request::UpdateLead {
                id: current.id,
                edit: LeadEdit {
                    fields,
                    add_tags,
                    remove_tags,
                    add_contacts: sent
                        .new_contact
                        .iter()
                        .map(|c| c.trim().to_string())
                        .filter(|c| !c.is_empty())
                        .collect(),
                    ..Default::default()
                },
            };
            let (shown, edits, note, redraw) =
                (shown.clone(), edits.clone(), note.clone(), redraw.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ask(&request).await {
                    Ok(Response::Lead(l)) => {
                        // What was sent is saved; what was typed since stays an edit.
                        {
                            let mut now = edits.borrow_mut();
                            now.fields.retain(|f, v| sent.fields.get(f) != Some(v));
                            if now.tags == sent.tags {
                                now.tags = None;
                            }
                            if now.new_contact == sent.new_contact {
                                now.new_contact = None;
                            }
                        }
                        show(&shown, l);
                        note.set(Some((true, t("leadSaved", &[]))));
                        redraw.force_update();
                    }
                    Ok(_) => note.set(Some((false, t("errorUnexpected", &[])))),
                    Err(e) => note.set(Some((false, e.message))),
                }
            });
        })
    };
    let delete = {
        let (id, close, note) = (current.id, props.on_close.clone(), note.clone());
        Callback::from(move |_| {
            let confirmed = web_sys::window()
                .and_then(|w| w.confirm_with_message(&t("deleteConfirm", &[])).ok())
                .unwrap_or(false);
            if !confirmed {
                return;
            }
            let (close, note) = (close.clone(), note.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ask(&Request::DeleteLead { id }).await {
                    Ok(_) => close.emit(()),
                    Err(e) => note.set(Some((false, e.message))),
                }
            });
        })
    };
    let value = |f: Field| {
        edits
            .borrow()
            .fields
            .get(&f)
            .or_else(|| base.get(&f))
            .cloned()
            .unwrap_or_default()
    };
    let tags = edits
        .borrow()
        .tags
        .clone()
        .unwrap_or_else(|| current.tags.join(", "));
    html! {
        <form class="detail" {onsubmit} data-testid="lead-detail">
            <div class="row">
                <button type="button" class="link" onclick={back} data-testid="back">{ "← " }{ t("back", &[]) }</button>
                if current.pending { <span class="muted">{ t("leadPending", &[]) }</span> }
            </div>
            <h2 data-testid="detail-title">{ current.title() }</h2>
            <label>{ t("fieldStatus", &[]) }
                <select name="status" data-testid="detail-status" onchange={on_change(Field::Status)}>
                    { for LeadStatus::ALL.iter().map(|s| html! { <option value={s.as_str()} selected={value(Field::Status) == s.as_str()}>{ status_label(*s) }</option> }) }
                </select>
            </label>
            { for EDITABLE.iter().map(|(f, label)| html! {
                <label>{ t(label, &[]) }<input type="text" name={f.as_str()} value={value(*f)} oninput={on_input(*f)} /></label>
            }) }
            <fieldset class="others" data-testid="detail-other-contacts">
                <legend>{ t("fieldOtherContacts", &[]) }</legend>
                <ul class="items">
                { for current.other_contacts.iter().map(|c| {
                    let shown = c.split_once(':').map_or(c.as_str(), |(_, v)| v).replace(";ext=", " ext. ");
                    html! {
                        <li class="row" data-testid="other-contact">
                            <a href={c.clone()}>{ shown.clone() }</a>
                            <button type="button" class="link" aria-label={t("removeContact", &[&shown])} onclick={remove_contact(c.clone())}>{ "×" }</button>
                        </li>
                    }
                }) }
                </ul>
                <label>{ t("addContact", &[]) }<input type="text" name="add_contact" value={edits.borrow().new_contact.clone().unwrap_or_default()} oninput={on_new_contact} placeholder={t("addContactPlaceholder", &[])} /></label>
            </fieldset>
            <label>{ t("fieldTags", &[]) }<input type="text" name="tags" value={tags} oninput={on_tags} placeholder={t("tagsPlaceholder", &[])} /></label>
            <label>{ t("fieldNotes", &[]) }<textarea name="notes" rows="3" value={value(Field::Notes)} oninput={on_input(Field::Notes)} /></label>
            <div class="row" data-testid="detail-owner">
                <span class="muted">{ t("fieldOwner", &[]) }{ ": " }
                {
                    match (value(Field::Owner).as_str(), &props.me) {
                        ("", _) => t("ownerNobody", &[]),
                        (o, Some(me)) if o == me.id.to_string() => t("ownerMe", &[&me.email]),
                        (o, _) => t("ownerTeammate", &[o.get(..8).unwrap_or(o)]),
                    }
                }
                </span>
                if let Some(me) = props.me.as_ref().filter(|me| value(Field::Owner) != me.id.to_string()) {
                    <button type="button" class="link" data-testid="assign-me" onclick={{
                        let (edits, redraw, mine) = (edits.clone(), redraw.clone(), me.id.to_string());
                        Callback::from(move |_| {
                            edits.borrow_mut().fields.insert(Field::Owner, mine.clone());
                            redraw.force_update();
                        })
                    }}>{ t("assignToMe", &[]) }</button>
                }
            </div>
            if let Some(src) = current.get(Field::SourceUrl) {
                <p class="muted small">{ t("capturedFrom", &[]) }{ " " }<a href={src.to_string()} target="_blank" rel="noopener">{ current.get(Field::SourceTitle).unwrap_or(src) }</a></p>
            }
            if let Some((ok, text)) = &*note {
                <p class={if *ok { "ok" } else { "error" }} role={if *ok { "status" } else { "alert" }} data-testid="detail-note">{ text }</p>
            }
            <div class="row">
                <button type="submit" class="primary" data-testid="detail-save">{ t("save", &[]) }</button>
                <button type="button" class="danger" onclick={delete} data-testid="detail-delete">{ t("delete", &[]) }</button>
            </div>
        </form>
    }
}
