//! The window's state, shared through Leptos context: which screen, which project, which language.

use crate::i18n::{t, Lang, Msg, Words};
use crate::wire::ProjectView;
use leptos::prelude::*;
use vocwb_types::{ErrorInfo, ProgressEvent};

/// The screens. The navigation shows, in this order, the ones that exist and apply now;
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Page {
    Projects,
    Overview,
    Import,
    Frame,
    Lexicon,
    Label,
    Train,
    Review,
}

impl Page {
    /// Navigation order.
    pub const ALL: [Page; 8] = [
        Page::Projects,
        Page::Overview,
        Page::Import,
        Page::Frame,
        Page::Lexicon,
        Page::Label,
        Page::Train,
        Page::Review,
    ];

    pub fn title(self) -> Msg {
        match self {
            Page::Projects => Msg::NavProjects,
            Page::Overview => Msg::NavOverview,
            Page::Import => Msg::NavImport,
            Page::Frame => Msg::NavFrame,
            Page::Lexicon => Msg::NavLexicon,
            Page::Label => Msg::NavLabel,
            Page::Train => Msg::NavTrain,
            Page::Review => Msg::NavReview,
        }
    }

    /// A stable name, used in element ids and the start-up log.
    pub fn slug(self) -> &'static str {
        match self {
            Page::Projects => "projects",
            Page::Overview => "overview",
            Page::Import => "import",
            Page::Frame => "frame",
            Page::Lexicon => "lexicon",
            Page::Label => "label",
            Page::Train => "train",
            Page::Review => "review",
        }
    }

    /// Screens about a project only make sense with one open.
    pub fn needs_project(self) -> bool {
        !matches!(self, Page::Projects)
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Store {
    pub lang: RwSignal<Lang>,
    pub page: RwSignal<Page>,
    pub project: RwSignal<Option<ProjectView>>,
    /// The latest progress of a running import or preview.
    pub progress: RwSignal<Option<ProgressEvent>>,
    /// The last failure, shown above the page exactly as the engine worded it.
    pub error: RwSignal<Option<ErrorInfo>>,
}

impl Store {
    pub fn new() -> Self {
        Store {
            lang: RwSignal::new(Lang::load()),
            page: RwSignal::new(Page::Projects),
            project: RwSignal::new(None),
            progress: RwSignal::new(None),
            error: RwSignal::new(None),
        }
    }

    /// The text of `words` in the current language (reactive).
    pub fn tr(&self, words: impl Words) -> &'static str {
        t(self.lang.get(), words)
    }

    /// The text of `words` in the current language, outside reactive views (event handlers).
    pub fn tr_now(&self, words: impl Words) -> &'static str {
        t(self.lang.get_untracked(), words)
    }

    /// Shows a freshly opened project's overview.
    pub fn show_project(&self, project: ProjectView) {
        self.error.set(None);
        self.project.set(Some(project));
        self.page.set(Page::Overview);
    }
}

impl Default for Store {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_store() -> Store {
    expect_context::<Store>()
}
