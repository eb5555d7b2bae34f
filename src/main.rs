//! `chorus`: one binary for every role of a Chorus deployment, and the
//! commands that set up users and tokens.

mod bench;
mod commands;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "chorus",
    version,
    about = "A team portal for a shared music-generation API account"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app and the JSON API.
    Web,
    /// Run the worker that submits requests to the upstream and polls it.
    Worker,
    /// Web and worker in one process (and the simulator when no API key is
    /// set), applying pending migrations first.
    All,
    /// Create the database if needed and apply pending migrations.
    Migrate,
    /// Run the upstream simulator.
    Sim,
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage personal access tokens for the JSON API.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Measure Chorus under load, against the simulator.
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Many songs through the worker at once (no web app), in a scratch
    /// database next to DATABASE_URL's; prints one line of figures.
    Pipeline(bench::PipelineArgs),
    /// The busiest pages over many songs under concurrent clients, next to
    /// a bare actix-web + askama page; prints one line per page.
    Pages(bench::PagesArgs),
    /// The member's and the admin's billing dashboards over a year of
    /// money under concurrent clients; prints one line per dashboard.
    Billing(bench::BillingArgs),
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user; the password is read from the first line of stdin.
    Create(commands::UserCreateArgs),
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create a token and print it (only it) on stdout; it is not shown again.
    Create(commands::TokenCreateArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("chorus: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(async {
        match cli.command {
            Command::Web => commands::web().await,
            Command::Worker => commands::worker().await,
            Command::All => commands::all().await,
            Command::Migrate => commands::migrate().await,
            Command::Sim => commands::sim().await,
            Command::User {
                command: UserCommand::Create(args),
            } => commands::user_create(args).await,
            Command::Token {
                command: TokenCommand::Create(args),
            } => commands::token_create(args).await,
            Command::Bench {
                command: BenchCommand::Pipeline(args),
            } => commands::bench_pipeline(args).await,
            Command::Bench {
                command: BenchCommand::Pages(args),
            } => commands::bench_pages(args).await,
            Command::Bench {
                command: BenchCommand::Billing(args),
            } => commands::bench_billing(args).await,
        }
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line: the variable or service at fault and what to do.
            eprintln!("chorus: {e:#}");
            ExitCode::FAILURE
        }
    }
}
