//! The options page: which server and account, sign out (pending work is pushed first, or the
//! person is asked before it is discarded), and export of the leads on this device.

use yew::prelude::*;

use crate::api::{ExportFormat, Request, Response};
use crate::status::SyncStatus;
use crate::ui::bridge::{ask, download, t};
use crate::ui::forms::AuthForm;
use crate::ui::popup::refresh_status;
use crate::ui::status_bar::StatusBar;

#[function_component(Options)]
pub fn options() -> Html {
    let status = use_state(|| None::<SyncStatus>);
    let error = use_state(|| None::<String>);
    let note = use_state(|| None::<String>);
    // Set when sign-out was refused because work is pending: then offer to discard it.
    let confirm_discard = use_state(|| None::<String>);
    {
        let (status, error) = (status.clone(), error.clone());
        use_effect_with((), move |_| {
            refresh_status(status.clone(), error.clone());
            let interval = gloo_timers::callback::Interval::new(2_000, move || {
                refresh_status(status.clone(), error.clone())
            });
            move || drop(interval)
        });
    }
    let sign_out = {
        let (status, error, note, confirm_discard) = (
            status.clone(),
            error.clone(),
            note.clone(),
            confirm_discard.clone(),
        );
        Callback::from(move |discard: bool| {
            let (status, error, note, confirm_discard) = (
                status.clone(),
                error.clone(),
                note.clone(),
                confirm_discard.clone(),
            );
            note.set(Some(t("signingOut", &[])));
            wasm_bindgen_futures::spawn_local(async move {
                match ask(&Request::SignOut { discard }).await {
                    Ok(Response::Status(s)) => {
                        confirm_discard.set(None);
                        note.set(Some(t("signedOut", &[])));
                        status.set(Some(s));
                    }
                    Ok(_) => note.set(Some(t("errorUnexpected", &[]))),
                    Err(e) if e.code == "pending_changes" => {
                        note.set(None);
                        confirm_discard.set(Some(e.message));
                        // The attempt to push just failed: show why, at once.
                        refresh_status(status, error);
                    }
                    Err(e) => note.set(Some(e.message)),
                }
            });
        })
    };
    let export = {
        let note = note.clone();
        Callback::from(move |format: ExportFormat| {
            let note = note.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match ask(&Request::ExportLeads { format }).await {
                    Ok(Response::Export(x)) => match download(&x.filename, &x.mime, &x.body) {
                        Ok(()) => note.set(Some(t("exported", &[&x.filename]))),
                        Err(e) => note.set(Some(e)),
                    },
                    Ok(_) => note.set(Some(t("errorUnexpected", &[]))),
                    Err(e) => note.set(Some(e.message)),
                }
            });
        })
    };
    let retry = {
        let (status, error) = (status.clone(), error.clone());
        Callback::from(move |_| {
            let (status, error) = (status.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ask(&Request::SyncNow).await {
                    Ok(Response::Status(s)) => status.set(Some(s)),
                    Ok(_) => {}
                    Err(e) => error.set(Some(e.message)),
                }
            });
        })
    };
    let Some(s) = (*status).clone() else {
        return html! { <main class="options"><h1>{ t("optionsTitle", &[]) }</h1><p class="muted">{ (*error).clone().unwrap_or_else(|| t("loading", &[])) }</p></main> };
    };
    let done = {
        let status = status.clone();
        Callback::from(move |st: SyncStatus| status.set(Some(st)))
    };
    html! {
        <main class="options">
            <h1>{ t("optionsTitle", &[]) }</h1>
            <StatusBar status={s.clone()} on_retry={retry} />
            <section class="card">
                <h2>{ t("optionsAccount", &[]) }</h2>
                if let (true, Some(a), Some(server)) = (s.signed_in, &s.account, &s.server_url) {
                    <p data-testid="options-account">{ t("optionsSignedInAs", &[&a.email, &a.role, server]) }</p>
                    <p class="muted">{ t("optionsServerChange", &[]) }</p>
                    if let Some(msg) = &*confirm_discard {
                        <div class="status-error" role="alert" data-testid="discard-warning">
                            <p>{ msg }</p>
                            <button type="button" class="danger" data-testid="discard-sign-out" onclick={sign_out.reform(|_| true)}>{ t("signOutDiscard", &[]) }</button>
                        </div>
                    } else {
                        <button type="button" data-testid="sign-out" onclick={sign_out.reform(|_| false)}>{ t("signOut", &[]) }</button>
                    }
                } else {
                    <AuthForm status={s.clone()} on_signed_in={done} />
                }
            </section>
            <section class="card">
                <h2>{ t("optionsExport", &[]) }</h2>
                <p class="muted">{ t("optionsExportHint", &[&s.leads.to_string()]) }</p>
                <div class="row">
                    <button type="button" data-testid="export-csv" onclick={export.reform(|_| ExportFormat::Csv)}>{ t("exportCsv", &[]) }</button>
                    <button type="button" data-testid="export-json" onclick={export.reform(|_| ExportFormat::Json)}>{ t("exportJson", &[]) }</button>
                </div>
            </section>
            if let Some(n) = &*note { <p class="muted" role="status" data-testid="options-note">{ n }</p> }
        </main>
    }
}
