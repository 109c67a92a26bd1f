//! The page's "How to see what is sent" section: the runtime's own
//! variables (debug, offline, state dir), named with the app's prefix as
//! telemetry-core derives them (`env::EnvNames`), the schema's log-only
//! switches, and where the install keeps its state. Each sentence is
//! telemetry-core's behaviour: `example-cli/tests/page_at_its_word.rs` reads this
//! section of `docs/example-cli.md`, runs the example CLI with each variable
//! as the page writes it, and checks what the page says it does.

use super::text::{code, line, text};
use crate::model::{Identity, Schema, SwitchAction, SwitchRule};

pub(super) fn see_sent(w: &mut String, schema: &Schema) {
    let title = &text(&schema.app.title);
    let name = &schema.app.name;
    let term = schema.app.term();
    let prefix = schema.app.env_prefix();
    let (debug, offline, dir) =
        (format!("{prefix}_TELEMETRY_DEBUG"), format!("{prefix}_TELEMETRY_OFFLINE"), format!("{prefix}_TELEMETRY_DIR"));
    // What the state dir holds besides the choice: no id unless the app keeps one.
    let id = if schema.app.identity == Identity::Install { "the install's id, " } else { "" };
    let counts = if schema.metrics.is_empty() { "" } else { "the counts of the current period, " };
    line(w, "## How to see what is sent");
    line(w, "");
    line(
        w,
        format!(
            "- **`{debug}=1`** (or `true`, `yes`, `on`): while {term} is on, {title} prints each event on standard error, as the JSON object described in [What is sent with every event](#what-is-sent-with-every-event), instead of sending it or writing it to a file. A collector that is not the toolkit's own format receives the same values under its own key names (see the section above)."
        ),
    );
    for s in &schema.consent.env {
        if let SwitchRule::Equals { value, action: SwitchAction::LogOnly } = &s.rule {
            line(
                w,
                format!(
                    "- **`{var}`** set to {value}: {title} writes each event on standard error, one line each (its name and its `properties`), and sends nothing.",
                    var = s.name,
                    value = code(value)
                ),
            );
        }
    }
    line(
        w,
        format!(
            "- **`{offline}=1`** (any value but empty, `0` or `false`): {term} is off for that run, whatever else is set or saved: nothing is recorded, written or sent."
        ),
    );
    line(
        w,
        format!(
            "- **State.** {title} keeps its state (your choice, {id}{counts}the events not yet sent, and the local events file of an install that sends to no collector) in one directory: `$XDG_CONFIG_HOME/{name}` or `~/.config/{name}` on Linux, `~/Library/Application Support/{name}` on macOS, `%APPDATA%\\{name}\\config` on Windows, or the absolute path in `{dir}` when it is set (a relative path there turns {term} off rather than keep state elsewhere)."
        ),
    );
    line(w, "");
    // The program is the first word of the product's own command; a
    // product without one (a library, a server) gets the variable to export.
    match schema.consent.opt_out_command.as_deref().and_then(|c| c.split(' ').next()) {
        Some(program) => {
            line(w, "For a single run, in bash or zsh:");
            line(w, "");
            line(w, "```sh");
            line(w, format!("{debug}=1 {program} ..."));
        }
        None => {
            line(w, format!("In bash or zsh, before running it (in PowerShell: `$env:{debug} = '1'`):"));
            line(w, "");
            line(w, "```sh");
            line(w, format!("export {debug}=1"));
        }
    }
    line(w, "```");
    line(w, "");
}

#[cfg(test)]
mod tests {
    use crate::render::markdown;

    #[test]
    fn the_section_names_the_apps_own_variables_and_its_log_only_switch() {
        let schema = crate::load_str(
            "version: 1\napp: { name: my-tool, title: My Tool, description: x }\nconsent: { env: [{ name: TRACKING, equals: logging, action: log_only }] }\nevents: { e: { description: x } }\n",
            "my-tool.yaml",
        )
        .unwrap();
        let page = markdown(&schema);
        let at = page.find("## How to see what is sent\n").expect("the section");
        let section = &page[at..];
        for words in [
            "- **`MY_TOOL_TELEMETRY_DEBUG=1`** (or `true`, `yes`, `on`): while telemetry is on, My Tool prints each event on standard error",
            "- **`TRACKING`** set to `logging`: My Tool writes each event on standard error",
            "- **`MY_TOOL_TELEMETRY_OFFLINE=1`**",
            "`~/.config/my-tool` on Linux",
            "the absolute path in `MY_TOOL_TELEMETRY_DIR` when it is set",
            "export MY_TOOL_TELEMETRY_DEBUG=1\n",
        ] {
            assert!(section.contains(words), "{words:?} in:\n{section}");
        }
    }
}
