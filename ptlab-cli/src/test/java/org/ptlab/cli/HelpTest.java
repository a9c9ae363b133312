package org.ptlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** {@code --help} as a newcomer reads it: whole first sentences, meaningful labels, options under headings. */
class HelpTest {
  static final List<String> COMMANDS = List.of("tune", "eval", "generate", "predict", "certify", "construct", "embed", "export", "bench", "reproduce");

  /** Every command and sub-command by its path after "ptlab" ("tune", "construct universal", …). */
  static Map<String, CommandLine> commands() {
    Map<String, CommandLine> all = new java.util.LinkedHashMap<>();
    collect("", HelpLayout.install(new CommandLine(new Main())), all);
    return all;
  }

  private static void collect(String prefix, CommandLine cl, Map<String, CommandLine> into) {
    for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
      String path = (prefix + " " + e.getKey()).strip();
      into.put(path, e.getValue());
      collect(path, e.getValue(), into);
    }
  }

  /** The first sentence of a command: its header (the line {@code ptlab --help} lists it with). */
  static String firstSentence(CommandLine cl) {
    String[] header = cl.getCommandSpec().usageMessage().header();
    assertTrue(header.length > 0, cl.getCommandName() + " has a one-sentence header");
    return header[0];
  }

  @Test
  void mainHelpShowsEachCommandsFirstSentenceWhole() {
    String[] r = MainTest.run("--help");
    assertEquals("0", r[0]);
    for (String name : COMMANDS) {
      String sentence = firstSentence(commands().get(name));
      assertTrue(sentence.endsWith("."), name + ": a whole sentence: " + sentence);
      Matcher m = Pattern.compile("(?m)^  " + name + " +(.*)$").matcher(r[1]);
      assertTrue(m.find(), name + " listed in\n" + r[1]);
      assertEquals(sentence, m.group(1).strip(), name + "'s sentence on its line of ptlab --help");
    }
  }

  @Test
  void noOptionLabelIsABareFieldName() {
    for (Map.Entry<String, CommandLine> e : commands().entrySet()) {
      for (OptionSpec o : e.getValue().getCommandSpec().options()) {
        if (o.arity().max() == 0) continue; // a flag has no label
        assertFalse(o.paramLabel().startsWith("<"), e.getKey() + " " + o.longestName() + " has label "
            + o.paramLabel() + " (picocli's default, the Java field name)");
      }
      String help = MainTest.run((e.getKey() + " --help").split(" "))[1];
      assertFalse(Pattern.compile("=<[a-z]+[A-Z]?\\w*>").matcher(help).find(), e.getKey() + " --help:\n" + help);
    }
  }

  @Test
  void tuneGroupsItsOptionsUnderHeadingsAndHasAShortSynopsis() {
    String help = MainTest.run("tune", "--help")[1];
    int at = -1;
    for (String heading : List.of("Data:", "Model:", "Method:", "Training:", "Attention:", "Output:", "Help:")) {
      int i = help.indexOf("\n" + heading + "\n");
      assertTrue(i > at, heading + " after the previous heading in\n" + help);
      at = i;
    }
    String synopsis = help.substring(help.indexOf("Usage:"), help.indexOf("\n\n", help.indexOf("Usage:")));
    assertTrue(synopsis.lines().count() <= 2, synopsis);
  }

  @Test
  void everyVisibleOptionOfEveryCommandIsInASection() {
    for (Map.Entry<String, CommandLine> e : commands().entrySet()) {
      CommandSpec spec = e.getValue().getCommandSpec();
      long visible = spec.options().stream().filter(o -> !o.hidden()).count();
      long shown = HelpLayout.sections(spec).values().stream().mapToLong(List::size).sum();
      assertEquals(visible, shown, e.getKey());
      if (COMMANDS.contains(e.getKey().split(" ")[0]) && !e.getKey().endsWith("help")) {
        assertFalse(HelpLayout.sections(spec).containsKey(HelpLayout.OTHER), e.getKey() + ": every option has a heading");
      }
    }
  }

  @Test
  void generateAndPredictShowTheirSections() {
    String generate = MainTest.run("generate", "--help")[1];
    for (String heading : List.of("Model:", "Data:", "Generation:", "Output:", "Help:")) {
      assertTrue(generate.contains("\n" + heading + "\n"), heading + " in\n" + generate);
    }
    String predict = MainTest.run("predict", "--help")[1];
    for (String heading : List.of("Model:", "Data:", "Output:", "Help:")) {
      assertTrue(predict.contains("\n" + heading + "\n"), heading + " in\n" + predict);
    }
  }
}
