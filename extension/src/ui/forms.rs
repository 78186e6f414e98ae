//! Sign in and sign up, against the server the person names (self-hosted servers are first-class).

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::{Request, Response};
use crate::status::SyncStatus;
use crate::ui::bridge::{ask, t};

/// The last server address typed here (a convenience; the session itself lives in the worker).
const SERVER_KEY: &str = "leadsync.server_url";
pub const DEFAULT_SERVER: &str = "http://127.0.0.1:8080";

fn remembered_server() -> String {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(SERVER_KEY).ok().flatten())
        .unwrap_or_else(|| DEFAULT_SERVER.to_string())
}

fn remember_server(url: &str) {
    if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = s.set_item(SERVER_KEY, url);
    }
}

/// The value of the form control an event came from (input, textarea or select).
pub fn field_value(e: &Event) -> Option<String> {
    let t = e.target()?;
    t.dyn_ref::<HtmlInputElement>()
        .map(|i| i.value())
        .or_else(|| {
            t.dyn_ref::<web_sys::HtmlTextAreaElement>()
                .map(|a| a.value())
        })
        .or_else(|| t.dyn_ref::<web_sys::HtmlSelectElement>().map(|s| s.value()))
}

/// `oninput` for a text field bound to a `UseStateHandle<String>`.
pub fn bind(state: &UseStateHandle<String>) -> Callback<InputEvent> {
    let state = state.clone();
    Callback::from(move |e: InputEvent| {
        if let Some(v) = field_value(&e) {
            state.set(v);
        }
    })
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub status: SyncStatus,
    pub on_signed_in: Callback<SyncStatus>,
}

#[function_component(AuthForm)]
pub fn auth_form(props: &Props) -> Html {
    let signup = use_state(|| false);
    let server = use_state(remembered_server);
    let team = use_state(String::new);
    let email = use_state(String::new);
    let password = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);

    let onsubmit = {
        let (signup, server, team, email, password, busy, error) = (
            signup.clone(),
            server.clone(),
            team.clone(),
            email.clone(),
            password.clone(),
            busy.clone(),
            error.clone(),
        );
        let done = props.on_signed_in.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let request = if *signup {
                Request::SignUp {
                    server_url: (*server).clone(),
                    tenant_name: (*team).clone(),
                    email: (*email).clone(),
                    password: (*password).clone(),
                }
            } else {
                Request::SignIn {
                    server_url: (*server).clone(),
                    email: (*email).clone(),
                    password: (*password).clone(),
                }
            };
            let (busy, error, done, server) =
                (busy.clone(), error.clone(), done.clone(), server.clone());
            busy.set(true);
            error.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                let result = ask(&request).await;
                busy.set(false);
                match result {
                    Ok(Response::Status(s)) => {
                        remember_server(&server);
                        done.emit(s);
                    }
                    Ok(_) => error.set(Some(t("errorUnexpected", &[]))),
                    Err(e) => error.set(Some(e.message)),
                }
            });
        })
    };
    let tab = |to_signup: bool, label: String| {
        let signup = signup.clone();
        let error = error.clone();
        html! {
            <button type="button" role="tab" aria-selected={(*signup == to_signup).to_string()} class={classes!("tab", (*signup == to_signup).then_some("active"))}
                onclick={Callback::from(move |_| { signup.set(to_signup); error.set(None); })}>{ label }</button>
        }
    };
    let local = props.status.leads;
    html! {
        <form class="auth" {onsubmit} data-testid="auth-form">
            <div class="tabs" role="tablist">{ tab(false, t("signIn", &[])) }{ tab(true, t("signUp", &[])) }</div>
            if local > 0 {
                <p class="muted" data-testid="local-leads">{ t("authLocalLeads", &[&local.to_string()]) }</p>
            }
            <label>{ t("fieldServer", &[]) }
                <input type="url" name="server" required=true value={(*server).clone()} oninput={bind(&server)} placeholder={DEFAULT_SERVER} />
            </label>
            if *signup {
                <label>{ t("fieldTeam", &[]) }
                    <input type="text" name="team" required=true value={(*team).clone()} oninput={bind(&team)} autocomplete="organization" />
                </label>
            }
            <label>{ t("fieldEmail", &[]) }
                <input type="email" name="email" required=true value={(*email).clone()} oninput={bind(&email)} autocomplete="username" />
            </label>
            <label>{ t("fieldPassword", &[]) }
                <input type="password" name="password" required=true value={(*password).clone()} oninput={bind(&password)}
                    autocomplete={if *signup { "new-password" } else { "current-password" }} />
            </label>
            if let Some(e) = &*error {
                <p class="error" role="alert" data-testid="auth-error">{ e }</p>
            }
            <button type="submit" class="primary" disabled={*busy} data-testid="auth-submit">
                { if *busy { t("working", &[]) } else if *signup { t("signUp", &[]) } else { t("signIn", &[]) } }
            </button>
        </form>
    }
}
