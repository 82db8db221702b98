//! The UI's words in Simplified Chinese (the default) and English.
//!
//! One table: every [`Msg`] has both texts, so a missing translation is a compile error.
//! The chosen language persists in `localStorage`.
//! Engine error messages are shown as the engine words them and are not translated.

use vocwb_types::{Channel, Polarity};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

const STORAGE_KEY: &str = "vocwb.lang";

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// The saved choice, else Chinese.
    pub fn load() -> Lang {
        let saved = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
        match saved.as_deref() {
            Some("en") => Lang::En,
            _ => Lang::Zh,
        }
    }

    pub fn save(self) {
        if let Some(s) = storage() {
            let _ = s.set_item(STORAGE_KEY, self.code());
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    AppName,
    NavProjects,
    NavOverview,
    NavImport,
    NavFrame,
    NavLexicon,
    NavLabel,
    NavTrain,
    NavReview,
    /// The toggle's label: the language it switches to.
    SwitchLanguage,
    SwitchLanguageHint,
    Opening,
    ErrorTitle,
    Dismiss,
    // Projects
    ProjectsTitle,
    DemoTitle,
    DemoText,
    DemoOpen,
    CreateTitle,
    CreateHint,
    OpenTitle,
    OpenHint,
    FolderLabel,
    FolderPlaceholder,
    Browse,
    Create,
    Open,
    ChooseFolder,
    RecentTitle,
    RecentEmpty,
    // Overview
    DemoBadge,
    Documents,
    Verbatims,
    SourceFiles,
    ByChannel,
    Channel,
    EmptyProject,
    ImportData,
    // Import
    ImportTitle,
    ImportHint,
    FileLabel,
    FilePlaceholder,
    ChooseFile,
    EncodingLabel,
    EncodingDetect,
    SkipEmpty,
    Preview,
    Reading,
    PreviewTitle,
    Format,
    DetectedEncoding,
    Rows,
    WouldAdd,
    AlreadyImported,
    MappingTitle,
    MappingHint,
    MappingNeeded,
    MapAuto,
    FieldText,
    FieldId,
    FieldDate,
    FieldNps,
    FieldCustomer,
    FieldDealer,
    FieldModel,
    FirstRows,
    Run,
    Importing,
    Cancel,
    ResultTitle,
    DocumentsAdded,
    VerbatimsAdded,
    Skipped,
    SeeOverview,
}

/// A table of words: each screen keeps its own table beside its code (an enum implementing
/// this), so a missing translation is a compile error there too.
pub trait Words: Copy {
    /// (Chinese, English).
    fn texts(self) -> (&'static str, &'static str);
}

impl Words for Msg {
    fn texts(self) -> (&'static str, &'static str) {
        texts(self)
    }
}

/// The text of `words` in `lang`.
pub fn t(lang: Lang, words: impl Words) -> &'static str {
    let (zh, en) = words.texts();
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

fn texts(msg: Msg) -> (&'static str, &'static str) {
    use Msg::*;
    match msg {
        AppName => ("VoC 工作台", "VoC Workbench"),
        NavProjects => ("项目", "Projects"),
        NavOverview => ("概览", "Overview"),
        NavImport => ("导入", "Import"),
        NavFrame => ("编码框架", "Code frame"),
        NavLexicon => ("词库", "Lexicon"),
        NavLabel => ("标注", "Labelling"),
        NavTrain => ("训练", "Train"),
        NavReview => ("检索与审核", "Search & review"),
        SwitchLanguage => ("English", "中文"),
        SwitchLanguageHint => ("切换到英文界面", "Switch to Chinese"),
        Opening => ("正在打开项目…", "Opening the project…"),
        ErrorTitle => ("出错了", "Something went wrong"),
        Dismiss => ("关闭", "Dismiss"),
        ProjectsTitle => ("项目", "Projects"),
        DemoTitle => ("演示项目", "Demo project"),
        DemoText => (
            "内置五个渠道（呼叫中心、问卷、私域、公域、门店）的示例原话，一键打开即可体验。",
            "Sample verbatims from all five channels (call center, survey, private, public, store), one click away.",
        ),
        DemoOpen => ("打开演示项目", "Open demo project"),
        CreateTitle => ("新建项目", "New project"),
        CreateHint => ("项目是一个文件夹：选择一个尚不存在或为空的文件夹。", "A project is a folder: choose one that does not exist yet or is empty."),
        OpenTitle => ("打开项目", "Open project"),
        OpenHint => ("选择一个已有项目的文件夹（内含 project.sqlite）。", "Choose the folder of an existing project (it holds project.sqlite)."),
        FolderLabel => ("文件夹", "Folder"),
        FolderPlaceholder => ("/home/…/我的项目", "/home/…/my-project"),
        Browse => ("浏览…", "Browse…"),
        Create => ("新建", "Create"),
        Open => ("打开", "Open"),
        ChooseFolder => ("选择项目文件夹", "Choose a project folder"),
        RecentTitle => ("最近打开", "Recent projects"),
        RecentEmpty => ("还没有打开过项目。", "No project opened yet."),
        DemoBadge => ("演示", "Demo"),
        Documents => ("文档", "Documents"),
        Verbatims => ("原话", "Verbatims"),
        SourceFiles => ("来源文件", "Source files"),
        ByChannel => ("各渠道数量", "By channel"),
        Channel => ("渠道", "Channel"),
        EmptyProject => ("项目还是空的：导入一个文件开始吧。", "The project is empty: import a file to begin."),
        ImportData => ("导入数据", "Import data"),
        ImportTitle => ("导入原话", "Import verbatims"),
        ImportHint => (
            "支持 CSV、TSV、Excel（xlsx）、JSONL 与通话转写 TXT。先预览，确认列映射后再导入；整个文件要么全部导入，要么完全不变。",
            "Reads CSV, TSV, Excel (xlsx), JSONL and call transcripts (TXT). Preview first, check the column mapping, then run; a file lands completely or not at all.",
        ),
        FileLabel => ("文件", "File"),
        FilePlaceholder => ("/home/…/反馈.csv", "/home/…/feedback.csv"),
        ChooseFile => ("选择要导入的文件", "Choose a file to import"),
        EncodingLabel => ("编码", "Encoding"),
        EncodingDetect => ("自动检测", "Detect"),
        SkipEmpty => ("跳过空文本行", "Skip rows with empty text"),
        Preview => ("预览", "Preview"),
        Reading => ("正在读取…", "Reading…"),
        PreviewTitle => ("预览", "Preview"),
        Format => ("格式", "Format"),
        DetectedEncoding => ("编码", "Encoding"),
        Rows => ("行数", "Rows"),
        WouldAdd => ("将新增", "Would add"),
        AlreadyImported => ("这个文件之前已导入到本渠道，不会有任何变化。", "This file was already imported into this channel; nothing would change."),
        MappingTitle => ("列映射", "Column mapping"),
        MappingHint => ("已按表头自动识别；如有不对，请逐项调整，预览会随之更新。", "Guessed from the headers; adjust any field and the preview updates."),
        MappingNeeded => ("没能自动识别所有必需的列：请选择原话文本等所在的列，预览会重新运行。", "Some required columns could not be guessed: choose the text column (and others) and the preview runs again."),
        MapAuto => ("（自动）", "(auto)"),
        FieldText => ("原话文本", "Text"),
        FieldId => ("编号", "ID"),
        FieldDate => ("日期", "Date"),
        FieldNps => ("NPS 评分", "NPS"),
        FieldCustomer => ("客户", "Customer"),
        FieldDealer => ("经销商/门店", "Dealer / store"),
        FieldModel => ("车型", "Model"),
        FirstRows => ("前几条", "First rows"),
        Run => ("开始导入", "Run import"),
        Importing => ("正在导入…", "Importing…"),
        Cancel => ("取消", "Cancel"),
        ResultTitle => ("导入完成", "Import finished"),
        DocumentsAdded => ("新增文档", "Documents added"),
        VerbatimsAdded => ("新增原话", "Verbatims added"),
        Skipped => ("已存在而跳过", "Skipped (already in project)"),
        SeeOverview => ("查看概览", "See overview"),
    }
}

/// A channel's name in Chinese and in English.
pub fn channel_names(channel: Channel) -> (&'static str, &'static str) {
    match channel {
        Channel::CallCenter => ("呼叫中心", "Call center"),
        Channel::Survey => ("问卷调研", "Survey"),
        Channel::Private => ("私域", "Private domain"),
        Channel::Public => ("公域舆情", "Public social"),
        Channel::Store => ("门店与经销商", "Stores & dealers"),
    }
}

/// A channel's name in `lang`.
pub fn channel_name(lang: Lang, channel: Channel) -> &'static str {
    let (zh, en) = channel_names(channel);
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// A polarity's name; every screen shows polarities with these words.
#[derive(Debug, Clone, Copy)]
pub struct PolarityName(pub Polarity);

impl Words for PolarityName {
    fn texts(self) -> (&'static str, &'static str) {
        match self.0 {
            Polarity::Pain => ("痛点", "Pain"),
            Polarity::Itch => ("痒点", "Itch"),
            Polarity::Delight => ("悦点", "Delight"),
            Polarity::Neutral => ("中性", "Neutral"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toggle_names_the_other_language() {
        assert_eq!(t(Lang::Zh, Msg::SwitchLanguage), "English");
        assert_eq!(t(Lang::En, Msg::SwitchLanguage), "中文");
        assert_eq!(Lang::Zh.other(), Lang::En);
    }

    #[test]
    fn every_channel_has_two_names() {
        for c in Channel::ALL {
            let (zh, en) = channel_names(c);
            assert!(!zh.is_empty() && !en.is_empty() && zh != en);
        }
    }
}
