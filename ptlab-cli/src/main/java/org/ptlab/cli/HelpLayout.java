package org.ptlab.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The layout of every command's {@code --help}: the one-sentence header, a short synopsis, the description, then
 * the options in sections with headings (Model, Method, Training, Attention, Data, Output, Help) instead of one
 * flat list. Only the help text changes: options stay plain {@code @Mixin}s and {@code @Option}s, so parsing is
 * untouched (picocli's {@code @ArgGroup} would also group them, but changes when option objects and their defaults
 * are created).
 *
 * <p>Where an option's heading comes from: an option mixin implements {@link Section}; a command names the
 * headings of its own options with {@link OwnSections}; the standard -h/-V go under "Help"; anything else under
 * "Options". Sections with the same heading merge; they appear in the order of their first option.
 */
final class HelpLayout {
  static final String HELP = "Help";
  static final String OTHER = "Options";

  private HelpLayout() {}

  /** An option mixin whose options share one heading in {@code --help}. */
  interface Section {
    String heading();
  }

  /** A command whose own options go under headings: heading → option names, in the order shown. */
  interface OwnSections {
    Map<String, List<String>> ownSections();
  }

  /** Installs the sectioned option list on {@code cl} and all its subcommands; returns {@code cl}. */
  static CommandLine install(CommandLine cl) {
    CommandLine.Model.UsageMessageSpec usage = cl.getCommandSpec().usageMessage();
    if (usage.header().length > 0) usage.synopsisHeading("%nUsage: "); // a blank line after the header sentence
    usage.descriptionHeading("%n");
    usage.parameterListHeading("%nArguments:%n");
    Map<String, CommandLine.IHelpSectionRenderer> sections = cl.getHelpSectionMap();
    sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING, help -> "");
    sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST, HelpLayout::optionList);
    cl.setHelpSectionMap(sections);
    for (CommandLine sub : cl.getSubcommands().values()) install(sub);
    return cl;
  }

  /** Every visible option under its heading. */
  static String optionList(Help help) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, List<OptionSpec>> e : sections(help.commandSpec()).entrySet()) {
      out.append(String.format("%n%s:%n", e.getKey()));
      Help.Layout layout = help.createDefaultLayout();
      for (OptionSpec o : e.getValue()) layout.addOption(o, help.parameterLabelRenderer());
      out.append(layout);
    }
    return out.toString();
  }

  /** Heading → options, in the order of each heading's first option. */
  static Map<String, List<OptionSpec>> sections(CommandSpec spec) {
    Map<String, String> headingOf = new LinkedHashMap<>(); // option's longest name → heading
    for (CommandSpec mixin : spec.mixins().values()) {
      if (!(mixin.userObject() instanceof Section s)) continue;
      for (OptionSpec o : mixin.options()) headingOf.put(o.longestName(), s.heading());
    }
    if (spec.userObject() instanceof OwnSections own) {
      own.ownSections().forEach((heading, names) -> names.forEach(n -> headingOf.put(n, heading)));
    }
    Map<String, List<OptionSpec>> out = new LinkedHashMap<>();
    List<OptionSpec> help = new ArrayList<>();
    for (OptionSpec o : spec.options()) {
      if (o.hidden()) continue;
      if (o.usageHelp() || o.versionHelp()) {
        help.add(o);
        continue;
      }
      out.computeIfAbsent(headingOf.getOrDefault(o.longestName(), OTHER), k -> new ArrayList<>()).add(o);
    }
    if (!help.isEmpty()) out.put(HELP, help);
    return out;
  }
}
