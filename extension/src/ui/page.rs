//! "This page": the contacts the content shim found in the active tab, each with Save, and Save all.

use std::collections::BTreeMap;

use uuid::Uuid;
use yew::prelude::*;

use leadsync_types::extract::{CandidateField, LeadCandidate};

use crate::api::{Request, Response};
use crate::ui::bridge::{active_tab_contacts, ask, t};

/// A contact of this page that is a lead: which one, and what the popup says about it — never a
/// bare "Saved" when the save went into a lead that was already there.
#[derive(Clone, Debug, PartialEq)]
struct Outcome {
    id: Uuid,
    /// `created`, `added` (merged into an existing lead), `already` (it held everything), or
    /// `known` (a lead before the popup opened).
    kind: &'static str,
    message: String,
}

impl Outcome {
    fn known(id: Uuid) -> Self {
        Outcome {
            id,
            kind: "known",
            message: t("savedOpen", &[]),
        }
    }

    fn of(saved: &crate::api::Saved) -> Self {
        let name = saved.lead.title();
        let (kind, message) = match (saved.created, saved.changed) {
            (true, _) => ("created", t("savedOpen", &[])),
            (false, true) => ("added", t("addedToOpen", &[name])),
            (false, false) => ("already", t("alreadyInOpen", &[name])),
        };
        Outcome {
            id: saved.lead.id,
            kind,
            message,
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub on_saved: Callback<()>,
    pub on_open: Callback<Uuid>,
}

/// A contact worth offering: someone you can reach.
fn reachable(c: &LeadCandidate) -> bool {
    c.best(CandidateField::Email).is_some() || c.best(CandidateField::Phone).is_some()
}

#[function_component(PageContacts)]
pub fn page_contacts(props: &Props) -> Html {
    let contacts = use_state(|| None::<Result<crate::ui::bridge::PageContacts, String>>);
    // Candidate index → the lead it is, or the error saving it met.
    let saved = use_state(BTreeMap::<usize, Result<Outcome, String>>::new);
    {
        let (contacts, saved) = (contacts.clone(), saved.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let found = active_tab_contacts().await;
                // Contacts that already are leads show as saved, not as a Save button.
                if let Ok(f) = &found {
                    let keys: Vec<String> = f
                        .candidates
                        .iter()
                        .filter_map(|c| c.dedup_key.clone())
                        .collect();
                    if let Ok(Response::Known(known)) = ask(&Request::LookupContacts { keys }).await
                    {
                        let ids = f.candidates.iter().enumerate().filter_map(|(i, c)| {
                            Some((i, Ok(Outcome::known(known.get(c.dedup_key.as_ref()?)?.id))))
                        });
                        saved.set(ids.collect());
                    }
                }
                contacts.set(Some(found));
            });
            || ()
        });
    }
    let Some(found) = (*contacts).clone() else {
        return html! { <p class="muted">{ t("loading", &[]) }</p> };
    };
    let found = match found {
        Ok(f) => f,
        Err(e) => return html! { <p class="muted" data-testid="page-none">{ e }</p> },
    };
    let list: Vec<(usize, LeadCandidate)> = found
        .candidates
        .iter()
        .cloned()
        .enumerate()
        .filter(|(_, c)| reachable(c))
        .collect();
    if list.is_empty() {
        return html! { <p class="muted" data-testid="page-none">{ t("pageNoContacts", &[]) }</p> };
    }
    let save = {
        let (saved, on_saved, page) = (saved.clone(), props.on_saved.clone(), found.page.clone());
        Callback::from(move |items: Vec<(usize, LeadCandidate)>| {
            let (saved, on_saved, page) = (saved.clone(), on_saved.clone(), page.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let mut next = (*saved).clone();
                for (i, candidate) in items {
                    let r = ask(&Request::SaveLead {
                        candidate,
                        page: page.clone(),
                    })
                    .await;
                    next.insert(
                        i,
                        match r {
                            Ok(Response::Saved(s)) => Ok(Outcome::of(&s)),
                            Ok(_) => Err(t("errorUnexpected", &[])),
                            Err(e) => Err(e.message),
                        },
                    );
                }
                saved.set(next);
                on_saved.emit(());
            });
        })
    };
    let unsaved: Vec<(usize, LeadCandidate)> = list
        .iter()
        .filter(|(i, _)| !matches!(saved.get(i), Some(Ok(_))))
        .cloned()
        .collect();
    let save_all = {
        let (save, unsaved) = (save.clone(), unsaved.clone());
        Callback::from(move |_| save.emit(unsaved.clone()))
    };
    html! {
        <section class="page" data-testid="page-contacts">
            <div class="row">
                <span class="muted">{ t("pageCount", &[&list.len().to_string()]) }</span>
                <button type="button" class="primary small" data-testid="save-all" disabled={unsaved.is_empty()} onclick={save_all}>{ t("saveAll", &[]) }</button>
            </div>
            <ul class="items">
            { for list.iter().map(|(i, c)| {
                let name = c.best(CandidateField::Name).or_else(|| c.best(CandidateField::Company)).unwrap_or_default().to_string();
                let reach = [c.best(CandidateField::Email), c.best(CandidateField::Phone)].into_iter().flatten().collect::<Vec<_>>().join(" · ");
                let state = saved.get(i).cloned();
                let action = match &state {
                    Some(Ok(outcome)) => {
                        let (open, id) = (props.on_open.clone(), outcome.id);
                        html! { <button type="button" class="link" data-testid="open-saved" data-outcome={outcome.kind} data-lead={id.to_string()} onclick={Callback::from(move |_| open.emit(id))}>{ outcome.message.clone() }</button> }
                    }
                    _ => {
                        let (save, item) = (save.clone(), (*i, c.clone()));
                        html! { <button type="button" class="small" data-testid="save" onclick={Callback::from(move |_| save.emit(vec![item.clone()]))}>{ t("save", &[]) }</button> }
                    }
                };
                html! {
                    <li class="item" data-testid="page-contact">
                        <div class="who"><div class="name">{ if name.is_empty() { reach.clone() } else { name } }</div><div class="muted">{ reach }</div>
                        if let Some(Err(e)) = &state { <div class="error">{ e }</div> }
                        </div>
                        { action }
                    </li>
                }
            }) }
            </ul>
        </section>
    }
}
