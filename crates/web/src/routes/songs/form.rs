//! The create form as posted, and core's refusals turned into messages by
//! the field they name.

use chorus_core::generations::input::{
    MAX_LYRICS_CHARS, MAX_TAGS_CHARS, MAX_TITLE_CHARS, MAX_TOPIC_CHARS, SongForm,
};
use chorus_core::generations::{InvalidInput, RequestKey};
use serde::Deserialize;

use crate::pages::{CreateErrors, CreateFields, Layout};

/// Every field is text: a urlencoded body has no booleans, and the CSRF
/// wrapper's `flatten` cannot parse them from strings.
#[derive(Debug, Default, Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    pub mode: String,
    #[serde(default)]
    pub topic: String,
    /// A checkbox: present ("on") when ticked, absent otherwise.
    pub instrumental: Option<String>,
    #[serde(default)]
    pub tags: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub lyrics: String,
    /// The page's name for this request (see [`RequestKey`]).
    #[serde(default)]
    pub request_key: String,
}

impl CreateForm {
    /// The mode whose fieldset the page shows again.
    pub fn shown_mode(&self) -> &'static str {
        shown_mode(Some(&self.mode))
    }

    /// Only the chosen mode's fields reach core: a custom song must not
    /// carry a topic typed in the other tab.
    pub fn to_song_form(&self) -> SongForm {
        let custom = self.mode.trim() == "custom";
        let text = |value: &str, used: bool| used.then(|| value.to_owned());
        SongForm {
            mode: Some(self.mode.clone()),
            topic: text(&self.topic, !custom),
            instrumental: Some(!custom && self.instrumental.is_some()),
            tags: text(&self.tags, custom),
            lyrics: text(&self.lyrics, custom),
            title: text(&self.title, custom),
        }
    }

    /// The request's key, if the form sent a well-formed one.
    pub fn request_key(&self) -> Option<RequestKey> {
        RequestKey::parse(&self.request_key)
    }

    pub fn fields(self) -> CreateFields {
        CreateFields {
            request_key: self.request_key,
            instrumental: self.instrumental.is_some(),
            topic: self.topic,
            tags: self.tags,
            title: self.title,
            lyrics: self.lyrics,
        }
    }
}

/// `custom` when asked for, else `describe` (also for `continue`, which
/// cannot be chosen).
pub fn shown_mode(asked: Option<&str>) -> &'static str {
    match asked.map(str::trim) {
        Some("custom") => "custom",
        _ => "describe",
    }
}

/// Core's messages are English and meant for API clients; the page says
/// the same in the reader's language, from the field and what was typed.
pub fn errors_for(layout: &Layout, error: &InvalidInput, form: &CreateForm) -> CreateErrors {
    let mut errors = CreateErrors::default();
    let message = |value: &str, max: usize| {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            layout.t("create.error.required")
        } else if trimmed.chars().count() > max {
            layout.t_args("create.error.too_long", &[("max", &max.to_string())])
        } else {
            layout.t("create.error.invalid")
        }
    };
    match error.field {
        "topic" => errors.topic = Some(message(&form.topic, MAX_TOPIC_CHARS)),
        "tags" => errors.tags = Some(message(&form.tags, MAX_TAGS_CHARS)),
        "title" => errors.title = Some(message(&form.title, MAX_TITLE_CHARS)),
        "lyrics" => errors.lyrics = Some(message(&form.lyrics, MAX_LYRICS_CHARS)),
        _ if form.mode.trim() == "continue" => {
            errors.form = Some(layout.t("create.continue_unavailable"));
        }
        _ => errors.form = Some(layout.t("create.error.mode")),
    }
    errors
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chorus_core::generations::SongInput;

    use super::*;
    use crate::i18n::Lang;

    fn layout() -> Layout {
        Layout {
            simulated_upstream: false,
            lang: Lang::En,
            path: "/create".to_owned(),
            admin: false,
            signed_in: false,
            budget_banner: None,
        }
    }

    fn form(mode: &str) -> CreateForm {
        CreateForm {
            mode: mode.to_owned(),
            topic: "spring".to_owned(),
            instrumental: Some("on".to_owned()),
            tags: "pop".to_owned(),
            title: "Starlit".to_owned(),
            lyrics: "la".to_owned(),
            request_key: "k1".to_owned(),
        }
    }

    #[test]
    fn only_the_chosen_modes_fields_reach_core() {
        assert_eq!(
            form("describe").to_song_form().validate(),
            Ok(SongInput::Describe {
                topic: "spring".into(),
                instrumental: true
            })
        );
        assert_eq!(
            form("custom").to_song_form().validate(),
            Ok(SongInput::Custom {
                tags: "pop".into(),
                lyrics: "la".into(),
                title: Some("Starlit".into())
            })
        );
    }

    #[test]
    fn each_refusal_lands_by_its_field_in_the_readers_words() {
        let mut custom = form("custom");
        custom.title = "t".repeat(121);
        let invalid = custom.to_song_form().validate().unwrap_err();
        let errors = errors_for(&layout(), &invalid, &custom);
        assert_eq!(
            errors.title.as_deref(),
            Some("This is too long: at most 120 characters.")
        );
        assert!(errors.form.is_none() && errors.tags.is_none());

        let mut describe = form("describe");
        describe.topic = " ".to_owned();
        let invalid = describe.to_song_form().validate().unwrap_err();
        let errors = errors_for(&layout(), &invalid, &describe);
        assert_eq!(errors.topic.as_deref(), Some("Please fill this in."));

        let sneaky = form("continue");
        let invalid = sneaky.to_song_form().validate().unwrap_err();
        assert!(errors_for(&layout(), &invalid, &sneaky).form.is_some());
        assert_eq!(sneaky.shown_mode(), "describe");
    }
}
