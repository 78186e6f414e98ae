//! The toolbar popup: sign-in when needed; otherwise this page's contacts, My leads, and a lead's
//! detail — with the sync state always at the top.

use gloo_timers::callback::Interval;
use uuid::Uuid;
use yew::prelude::*;

use crate::api::{Request, Response};
use crate::status::SyncStatus;
use crate::ui::bridge::{ask, options_page, t};
use crate::ui::detail::LeadDetail;
use crate::ui::forms::AuthForm;
use crate::ui::leads::LeadList;
use crate::ui::page::PageContacts;
use crate::ui::status_bar::StatusBar;

#[derive(Clone, Copy, PartialEq)]
enum Tab {
    Page,
    Leads,
}

/// Fetch the worker's status into `state`.
pub fn refresh_status(
    state: UseStateHandle<Option<SyncStatus>>,
    error: UseStateHandle<Option<String>>,
) {
    wasm_bindgen_futures::spawn_local(async move {
        match ask(&Request::GetStatus).await {
            Ok(Response::Status(s)) => {
                error.set(None);
                state.set(Some(s));
            }
            Ok(_) => {}
            Err(e) => error.set(Some(e.message)),
        }
    });
}

#[function_component(Popup)]
pub fn popup() -> Html {
    let status = use_state(|| None::<SyncStatus>);
    let error = use_state(|| None::<String>);
    let tab = use_state(|| Tab::Page);
    let open = use_state(|| None::<Uuid>);
    // Bumped after every change so lists reload.
    let generation = use_state(|| 0u32);

    {
        let (status, error) = (status.clone(), error.clone());
        use_effect_with((), move |_| {
            refresh_status(status.clone(), error.clone());
            // The state is always current: sync runs in the worker, the popup only shows it.
            let interval =
                Interval::new(1_000, move || refresh_status(status.clone(), error.clone()));
            move || drop(interval)
        });
    }

    let on_retry = {
        let (status, error) = (status.clone(), error.clone());
        Callback::from(move |_| {
            let (status, error) = (status.clone(), error.clone());
            if let Some(mut s) = (*status).clone() {
                s.syncing = true;
                status.set(Some(s));
            }
            wasm_bindgen_futures::spawn_local(async move {
                match ask(&Request::SyncNow).await {
                    Ok(Response::Status(s)) => status.set(Some(s)),
                    Ok(_) => {}
                    Err(e) => error.set(Some(e.message)),
                }
            });
        })
    };
    // Leads may have changed elsewhere (a teammate, another device): each completed sync reloads
    // the list and the open lead (whose form keeps what is being typed: see detail.rs).
    {
        let generation = generation.clone();
        let synced = status.as_ref().and_then(|s| s.last_sync_at);
        use_effect_with(synced, move |_| {
            generation.set(*generation + 1);
            || ()
        });
    }
    let changed = {
        let (generation, status, error) = (generation.clone(), status.clone(), error.clone());
        Callback::from(move |_: ()| {
            generation.set(*generation + 1);
            refresh_status(status.clone(), error.clone());
        })
    };
    let on_open = {
        let open = open.clone();
        Callback::from(move |id: Uuid| open.set(Some(id)))
    };
    let on_close = {
        let (open, changed) = (open.clone(), changed.clone());
        Callback::from(move |_: ()| {
            open.set(None);
            changed.emit(());
        })
    };

    let header = html! {
        <header class="top">
            <strong class="brand">{ "leadsync" }</strong>
            if let Some(account) = status.as_ref().and_then(|s| s.account.as_ref()) {
                <span class="muted account" data-testid="account">{ &account.email }</span>
            }
            <button type="button" class="link" onclick={Callback::from(|_| options_page())}>{ t("optionsLink", &[]) }</button>
        </header>
    };
    let Some(s) = (*status).clone() else {
        return html! {
            <main class="popup">{ header }
                if let Some(e) = &*error { <p class="error" role="alert">{ e }</p> } else { <p class="muted">{ t("loading", &[]) }</p> }
            </main>
        };
    };
    let body = if !s.signed_in {
        let (status, error) = (status.clone(), error.clone());
        let done = Callback::from(move |st: SyncStatus| {
            status.set(Some(st));
            error.set(None);
        });
        html! { <AuthForm status={s.clone()} on_signed_in={done} /> }
    } else if let Some(id) = *open {
        html! { <LeadDetail {id} generation={*generation} me={s.account.clone()} on_close={on_close} /> }
    } else {
        let pick = |to: Tab, label: String, testid: &'static str| {
            let tab = tab.clone();
            html! {
                <button type="button" role="tab" data-testid={testid} aria-selected={(*tab == to).to_string()}
                    class={classes!("tab", (*tab == to).then_some("active"))} onclick={Callback::from(move |_| tab.set(to))}>{ label }</button>
            }
        };
        html! {
            <>
                <div class="tabs" role="tablist">
                    { pick(Tab::Page, t("tabPage", &[]), "tab-page") }
                    { pick(Tab::Leads, t("tabLeads", &[&s.leads.to_string()]), "tab-leads") }
                </div>
                if *tab == Tab::Page {
                    <PageContacts on_saved={changed.clone()} on_open={on_open.clone()} />
                } else {
                    <LeadList generation={*generation} on_open={on_open.clone()} />
                }
            </>
        }
    };
    html! {
        <main class="popup">
            { header }
            <StatusBar status={s.clone()} {on_retry} />
            if let Some(e) = &*error { <p class="error" role="alert">{ e }</p> }
            { body }
        </main>
    }
}
