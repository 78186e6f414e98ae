//! "My leads": search and status filter over every lead on this device. The search runs in the
//! worker over prepared text, so it stays instant with 10,000 leads; only one page is drawn.

use std::cell::Cell;
use std::rc::Rc;

use uuid::Uuid;

use yew::prelude::*;

use leadsync_types::{Field, LeadStatus};

use crate::api::{LeadPage, Request, Response};
use crate::local::LeadQuery;
use crate::ui::bridge::{ask, t};
use crate::ui::forms::bind;

pub const PAGE: usize = 50;

pub fn status_label(s: LeadStatus) -> String {
    let key = match s {
        LeadStatus::New => "statusNew",
        LeadStatus::Contacted => "statusContacted",
        LeadStatus::Qualified => "statusQualified",
        LeadStatus::Converted => "statusConverted",
        LeadStatus::Lost => "statusLost",
    };
    t(key, &[])
}

#[derive(Properties, PartialEq)]
pub struct Props {
    /// Changes when leads may have changed (reload).
    pub generation: u32,
    pub on_open: Callback<Uuid>,
}

#[function_component(LeadList)]
pub fn lead_list(props: &Props) -> Html {
    let q = use_state(String::new);
    let status = use_state(|| None::<LeadStatus>);
    let limit = use_state(|| PAGE);
    let page = use_state(|| None::<Result<LeadPage, String>>);
    let seq = use_mut_ref(|| Rc::new(Cell::new(0u64)));

    {
        let page = page.clone();
        let seq = seq.borrow().clone();
        let deps = ((*q).clone(), *status, *limit, props.generation);
        use_effect_with(deps, move |(q, status, limit, _)| {
            // Answers can arrive out of order while typing: only the newest query's is shown.
            let mine = seq.get() + 1;
            seq.set(mine);
            let query = LeadQuery {
                q: Some(q.clone()),
                status: *status,
                limit: Some(*limit),
                offset: None,
            };
            wasm_bindgen_futures::spawn_local(async move {
                let r = match ask(&Request::ListLeads { query }).await {
                    Ok(Response::Leads(p)) => Ok(p),
                    Ok(_) => Err(t("errorUnexpected", &[])),
                    Err(e) => Err(e.message),
                };
                if seq.get() == mine {
                    page.set(Some(r));
                }
            });
            || ()
        });
    }

    let on_status = {
        let status = status.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = crate::ui::forms::field_value(&e) {
                status.set(v.parse().ok());
            }
        })
    };
    let more = {
        let limit = limit.clone();
        Callback::from(move |_| limit.set(*limit + PAGE))
    };
    html! {
        <section class="leads" data-testid="lead-list">
            <div class="filters">
                <input type="search" data-testid="search" placeholder={t("searchPlaceholder", &[])} aria-label={t("searchPlaceholder", &[])} value={(*q).clone()} oninput={bind(&q)} />
                <select data-testid="status-filter" aria-label={t("statusFilter", &[])} onchange={on_status}>
                    <option value="" selected={status.is_none()}>{ t("statusAll", &[]) }</option>
                    { for LeadStatus::ALL.iter().map(|s| html! { <option value={s.as_str()} selected={*status == Some(*s)}>{ status_label(*s) }</option> }) }
                </select>
            </div>
            {
                match &*page {
                    None => html! { <p class="muted">{ t("loading", &[]) }</p> },
                    Some(Err(e)) => html! { <p class="error" role="alert">{ e }</p> },
                    Some(Ok(p)) if p.items.is_empty() => html! { <p class="muted" data-testid="no-leads">{ if q.is_empty() && status.is_none() { t("leadsEmpty", &[]) } else { t("leadsNoMatch", &[]) } }</p> },
                    Some(Ok(p)) => html! {
                        <>
                            <p class="muted" data-testid="lead-total">{ t("leadsTotal", &[&p.total.to_string()]) }</p>
                            <ul class="items">
                            { for p.items.iter().map(|l| {
                                let open = props.on_open.clone();
                                let id = l.id;
                                let sub = [l.get(Field::Company), l.get(Field::Email), l.get(Field::Phone)].into_iter().flatten().filter(|v| *v != l.title()).collect::<Vec<_>>().join(" · ");
                                html! {
                                    <li class="item clickable" data-testid="lead" data-id={l.id.to_string()} onclick={Callback::from(move |_| open.emit(id))}
                                        tabindex="0" role="button">
                                        <div class="who"><div class="name">{ l.title() }</div><div class="muted">{ sub }</div></div>
                                        <span class={classes!("pill", l.status.as_str())} data-testid="lead-status">{ status_label(l.status) }</span>
                                        if l.pending { <span class="pending" title={t("leadPending", &[])} aria-label={t("leadPending", &[])}>{ "●" }</span> }
                                    </li>
                                }
                            }) }
                            </ul>
                            if p.total > p.items.len() {
                                <button type="button" class="link" onclick={more}>{ t("showMore", &[&(p.total - p.items.len()).to_string()]) }</button>
                            }
                        </>
                    },
                }
            }
        </section>
    }
}
