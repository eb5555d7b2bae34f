//! `chorus user create` and `chorus token create`: how the first admin gets
//! in, and how a script gets a token, before any page does it.
//!
//! These commands install no log subscriber: stdout carries their answer
//! (a script captures the token from it), and a failure is one line on
//! stderr, printed by `main`.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{Context, anyhow};
use chorus_core::accounts::{
    NewUser, Role, check_password_length, create_token, create_user, find_user_by_email,
};
use chorus_core::freshness::Stamps;
use chorus_core::{Config, Micros, upstream};
use clap::Args;
use secrecy::{ExposeSecret, SecretString};

use super::migrated_pool;

#[derive(Args)]
pub struct UserCreateArgs {
    /// Their sign-in email (stored lowercased).
    #[arg(long)]
    email: String,
    /// Make them an admin rather than a member.
    #[arg(long)]
    admin: bool,
    /// Their personal monthly budget in USD, such as 10 or 2.5; none if
    /// omitted.
    #[arg(long, value_name = "USD", value_parser = Micros::parse_usd)]
    budget_usd: Option<Micros>,
}

#[derive(Args)]
pub struct TokenCreateArgs {
    /// The email of the user the token acts as.
    #[arg(long)]
    email: String,
    /// What the token is for, to tell it apart later (at most 100 characters).
    #[arg(long)]
    name: String,
}

/// Creates a user with the password read from the first line of stdin, so
/// it never shows up in the process list or the shell history.
pub async fn user_create(args: UserCreateArgs) -> anyhow::Result<()> {
    let config = Config::from_env()?;
    upstream::init_crypto();
    let password = read_password(&args.email)?;
    check_password_length(&password)?;
    let pool = migrated_pool(&config).await?;
    let role = match args.admin {
        true => Role::Admin,
        false => Role::Member,
    };
    let user = create_user(
        &pool,
        NewUser {
            email: args.email,
            password,
            role,
            monthly_budget: args.budget_usd,
        },
    )
    .await?;
    // Pages kept by a running web app are read anew: the team has changed.
    let touched = match chorus_core::keyspace::connect(&config.redis_url).await {
        Ok(redis) => Stamps::new(redis, config.keyspace())
            .touch_team()
            .await
            .map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    if let Err(e) = touched {
        eprintln!("note: pages may show the new user a few seconds late ({e})");
    }
    let budget = match user.monthly_budget {
        Some(budget) => format!(", monthly budget USD {budget}"),
        None => String::new(),
    };
    println!(
        "created {} {} (id {}{budget})",
        user.role, user.email, user.id
    );
    Ok(())
}

/// Prints a new token for the user, and nothing else, on stdout.
pub async fn token_create(args: TokenCreateArgs) -> anyhow::Result<()> {
    let config = Config::from_env()?;
    upstream::init_crypto();
    let pool = migrated_pool(&config).await?;
    let user = find_user_by_email(&pool, &args.email)
        .await?
        .ok_or_else(|| anyhow!("no user has the email {}", args.email.trim()))?;
    let (_, token) = create_token(&pool, user.id, &args.name).await?;
    if user.disabled {
        eprintln!(
            "chorus: warning: {} is disabled; the token works only once they are enabled",
            user.email
        );
    }
    println!("{}", token.expose_secret());
    Ok(())
}

fn read_password(email: &str) -> anyhow::Result<SecretString> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("password for {} (shown as you type): ", email.trim());
        let _ = std::io::stderr().flush();
    }
    let mut line = String::new();
    // A one-shot command with nothing else to run: blocking here is fine.
    stdin
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from stdin")?;
    let password = line.strip_suffix('\n').unwrap_or(&line);
    let password = password.strip_suffix('\r').unwrap_or(password);
    if password.is_empty() {
        anyhow::bail!("no password: give it as the first line of stdin");
    }
    Ok(SecretString::from(password.to_owned()))
}
