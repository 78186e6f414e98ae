//! One lead: edit its fields, status, tags and notes; delete it. Saved through the worker (stored
//! on this device first, then synced), with the worker's validation errors shown as they are.

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

#[function_component(LeadDetail)]
pub fn lead_detail(props: &Props) -> Html {
    let lead = use_state(|| None::<Result<LeadView, String>>);
    let form = use_state(BTreeMap::<Field, String>::new);
    let tags = use_state(String::new);
    // A contact to add to the lead's other contacts, as typed.
    let new_contact = use_state(String::new);
    let note = use_state(|| None::<(bool, String)>);
    {
        let (lead, form, tags, id) = (lead.clone(), form.clone(), tags.clone(), props.id);
        use_effect_with(id, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match ask(&Request::GetLead { id }).await {
                    Ok(Response::Lead(l)) => {
                        form.set(form_of(&l));
                        tags.set(l.tags.join(", "));
                        lead.set(Some(Ok(l)));
                    }
                    Ok(_) => lead.set(Some(Err(t("errorUnexpected", &[])))),
                    Err(e) => lead.set(Some(Err(e.message))),
                }
            });
            || ()
        });
    }
    let back = props.on_close.reform(|_: MouseEvent| ());
    let current = match &*lead {
        None => return html! { <p class="muted">{ t("loading", &[]) }</p> },
        Some(Err(e)) => {
            return html! { <section><p class="error" role="alert">{ e }</p><button type="button" class="link" onclick={back}>{ t("back", &[]) }</button></section> }
        }
        Some(Ok(l)) => l.clone(),
    };
    let set = |field: Field| {
        let form = form.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = field_value(&e) {
                let mut next = (*form).clone();
                next.insert(field, v);
                form.set(next);
            }
        })
    };
    let on_tags = {
        let tags = tags.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = field_value(&e) {
                tags.set(v);
            }
        })
    };
    let on_new_contact = {
        let new_contact = new_contact.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = field_value(&e) {
                new_contact.set(v);
            }
        })
    };
    // Removing one of the other contacts is saved at once (like a tag chip's ×).
    let remove_contact = {
        let (id, lead, note) = (current.id, lead.clone(), note.clone());
        move |contact: String| {
            let (lead, note) = (lead.clone(), note.clone());
            Callback::from(move |_: MouseEvent| {
                let request = Request::UpdateLead {
                    id,
                    edit: LeadEdit {
                        remove_contacts: vec![contact.clone()],
                        ..Default::default()
                    },
                };
                let (lead, note) = (lead.clone(), note.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    match ask(&request).await {
                        Ok(Response::Lead(l)) => lead.set(Some(Ok(l))),
                        Ok(_) => note.set(Some((false, t("errorUnexpected", &[])))),
                        Err(e) => note.set(Some((false, e.message))),
                    }
                });
            })
        }
    };
    let onsubmit = {
        let (form, tags, note, lead, current, new_contact) = (
            form.clone(),
            tags.clone(),
            note.clone(),
            lead.clone(),
            current.clone(),
            new_contact.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let before = form_of(&current);
            let fields: BTreeMap<Field, Option<String>> = form
                .iter()
                .filter(|(f, v)| before.get(f) != Some(v))
                .map(|(f, v)| (*f, Some(v.clone()).filter(|v| !v.trim().is_empty())))
                .collect();
            let wanted: Vec<String> = tags
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_lowercase)
                .collect();
            let add_tags = wanted
                .iter()
                .filter(|t| !current.tags.contains(t))
                .cloned()
                .collect();
            let remove_tags = current
                .tags
                .iter()
                .filter(|t| !wanted.contains(t))
                .cloned()
                .collect();
            let request = Request::UpdateLead {
                id: current.id,
                edit: LeadEdit {
                    fields,
                    add_tags,
                    remove_tags,
                    add_contacts: Some(new_contact.trim().to_string())
                        .filter(|c| !c.is_empty())
                        .into_iter()
                        .collect(),
                    ..Default::default()
                },
            };
            let (note, lead, form, tags, new_contact) = (
                note.clone(),
                lead.clone(),
                form.clone(),
                tags.clone(),
                new_contact.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match ask(&request).await {
                    Ok(Response::Lead(l)) => {
                        form.set(form_of(&l));
                        tags.set(l.tags.join(", "));
                        new_contact.set(String::new());
                        lead.set(Some(Ok(l)));
                        note.set(Some((true, t("leadSaved", &[]))));
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
    let value = |f: Field| form.get(&f).cloned().unwrap_or_default();
    html! {
        <form class="detail" {onsubmit} data-testid="lead-detail">
            <div class="row">
                <button type="button" class="link" onclick={back} data-testid="back">{ "← " }{ t("back", &[]) }</button>
                if current.pending { <span class="muted">{ t("leadPending", &[]) }</span> }
            </div>
            <h2 data-testid="detail-title">{ current.title() }</h2>
            <label>{ t("fieldStatus", &[]) }
                <select name="status" data-testid="detail-status" onchange={set(Field::Status)}>
                    { for LeadStatus::ALL.iter().map(|s| html! { <option value={s.as_str()} selected={value(Field::Status) == s.as_str()}>{ status_label(*s) }</option> }) }
                </select>
            </label>
            { for EDITABLE.iter().map(|(f, label)| html! {
                <label>{ t(label, &[]) }<input type="text" name={f.as_str()} value={value(*f)} onchange={set(*f)} /></label>
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
                <label>{ t("addContact", &[]) }<input type="text" name="add_contact" value={(*new_contact).clone()} onchange={on_new_contact} placeholder={t("addContactPlaceholder", &[])} /></label>
            </fieldset>
            <label>{ t("fieldTags", &[]) }<input type="text" name="tags" value={(*tags).clone()} onchange={on_tags} placeholder={t("tagsPlaceholder", &[])} /></label>
            <label>{ t("fieldNotes", &[]) }<textarea name="notes" rows="3" value={value(Field::Notes)} onchange={set(Field::Notes)} /></label>
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
                        let (form, mine) = (form.clone(), me.id.to_string());
                        Callback::from(move |_| {
                            let mut next = (*form).clone();
                            next.insert(Field::Owner, mine.clone());
                            form.set(next);
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
