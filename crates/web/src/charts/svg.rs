//! The `<svg>` element's own attributes: plotters writes a fixed size; the
//! page wants one that scales with its column and says what it shows.

/// `markup` (one `<svg …>…</svg>` document) with its opening tag replaced:
/// sized by its viewBox, `role="img"`, labelled by a `<title>`.
pub fn labelled(markup: &str, id: &str, title: &str) -> String {
    let Some(open_end) = markup.find('>') else {
        return markup.to_owned();
    };
    let view_box = attribute(&markup[..open_end], "viewBox").unwrap_or("0 0 720 260");
    let id = escape(id);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{view_box}\" class=\"chart\" \
         role=\"img\" aria-labelledby=\"{id}-title\"><title id=\"{id}-title\">{}</title>{}",
        escape(title),
        &markup[open_end + 1..]
    )
}

fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// XML text and attribute escaping.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}
