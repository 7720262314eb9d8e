"""One QWizardPage subclass per file; each page id comes from wizard.flow.PageId."""
