//! The sync state, always in view: online or not, live or not, what waits, when it last synced,
//! and the last error with a Retry button.

use yew::prelude::*;

use crate::status::SyncStatus;
use crate::ui::bridge::t;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub status: SyncStatus,
    pub on_retry: Callback<()>,
}

fn clock_time(ms: u64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!(
        "{:02}:{:02}:{:02}",
        d.get_hours(),
        d.get_minutes(),
        d.get_seconds()
    )
}

#[function_component(StatusBar)]
pub fn status_bar(props: &Props) -> Html {
    let s = &props.status;
    let (dot, state) = if !s.signed_in {
        ("off", t("syncSignedOut", &[]))
    } else if !s.online {
        ("off", t("syncOffline", &[]))
    } else if s.syncing {
        ("busy", t("syncSyncing", &[]))
    } else if s.live {
        ("on", t("syncLive", &[]))
    } else {
        ("on", t("syncOnline", &[]))
    };
    let pending = s.pending + s.pending_events;
    let retry = props.on_retry.reform(|_: MouseEvent| ());
    html! {
        <section class="status" data-testid="sync-status" aria-live="polite">
            <div class="status-line">
                <span class={classes!("dot", dot)} aria-hidden="true"></span>
                <span data-testid="sync-state">{ state }</span>
                if s.signed_in || pending > 0 {
                <span class="muted" data-testid="sync-pending">
                    { if s.pending > 0 { t("syncPending", &[&s.pending.to_string()]) } else if pending > 0 { t("syncPendingActivity", &[&s.pending_events.to_string()]) } else { t("syncNothingPending", &[]) } }
                </span>
                }
                if s.signed_in {
                <span class="muted" data-testid="sync-last">
                    { s.last_sync_at.map(|ms| t("syncLast", &[&clock_time(ms)])).unwrap_or_else(|| t("syncNever", &[])) }
                </span>
                }
            </div>
            if let Some(err) = &s.last_error {
                <div class="status-error" role="alert" data-testid="sync-error">
                    <span>
                        { crate::ui::bridge::localized(&err.code, &err.message, &err.params) }
                        if let Some(at) = err.retry_at.filter(|at| *at as f64 > js_sys::Date::now()) {
                            <span class="muted" data-testid="retry-at">{ " " }{ t("syncRetryAt", &[&clock_time(at)]) }</span>
                        }
                    </span>
                    <button type="button" class="link" onclick={retry} data-testid="retry">{ t("retry", &[]) }</button>
                </div>
            }
        </section>
    }
}
