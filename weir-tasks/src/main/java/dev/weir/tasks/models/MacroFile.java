package dev.weir.tasks.models;

/** One {@code macros/**.sql} file with its {@code {% macro %}} definitions. */
public record MacroFile(String path, String text) {}
