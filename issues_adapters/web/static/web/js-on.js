// Pages style themselves for script-enabled browsers from the first paint (CSS: .js ...).
document.documentElement.classList.add("js");
