//! `leadsync-server [serve]` — see `--help`.

use leadsync_server::{app, config, db, extract_cmd, AppState, Config};
use tracing_subscriber::EnvFilter;

fn init_logging(json: bool) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if json {
        builder.json().with_current_span(true).init();
    } else {
        builder.init();
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down: finishing in-flight requests");
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None | Some("serve") => {}
        Some("--help") | Some("-h") | Some("help") => {
            print!("{}", config::help());
            return std::process::ExitCode::SUCCESS;
        }
        Some("extract") => {
            let result = extract_cmd::parse_args(&args[1..]).and_then(|a| extract_cmd::run(&a));
            return match result {
                Ok(candidates) => match serde_json::to_string_pretty(&candidates) {
                    Ok(json) => {
                        println!("{json}");
                        std::process::ExitCode::SUCCESS
                    }
                    Err(e) => {
                        eprintln!("leadsync-server extract: {e}");
                        std::process::ExitCode::FAILURE
                    }
                },
                Err(e) => {
                    eprintln!("leadsync-server extract: {e}");
                    std::process::ExitCode::from(2)
                }
            };
        }
        Some("--version") | Some("-V") => {
            println!("leadsync-server {}", env!("CARGO_PKG_VERSION"));
            return std::process::ExitCode::SUCCESS;
        }
        Some(other) => {
            eprintln!("unknown command `{other}`\n\n{}", config::help());
            return std::process::ExitCode::from(2);
        }
    }
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("leadsync-server: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    init_logging(config.log_json);
    let pool = match db::setup(&config).await {
        Ok(p) => p,
        Err(e) => {
            tracing::error!(error = %e, "database setup failed");
            eprintln!("leadsync-server: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let addr = config.addr;
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("leadsync-server: cannot listen on {addr}: {e}; set LEADSYNC_ADDR to a free address");
            return std::process::ExitCode::FAILURE;
        }
    };
    tracing::info!(%addr, "leadsync-server listening");
    let state = AppState::new(pool, config);
    match app::serve(listener, state, shutdown_signal()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("leadsync-server: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
