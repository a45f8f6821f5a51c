// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;
import terrain.core.event.NodeReader.Fields;

/** Reads the {@code polls} of an event file and the list of questions of each poll. */
final class PollsSection {

  private static final List<String> POLL_KEYS = List.of("id", "title", "questions");

  private final NodeReader reader;
  private final IdReader ids;
  private final LocalizedReader texts;
  private final QuestionSection questions;

  PollsSection(NodeReader reader, IdReader ids, LocalizedReader texts, QuestionSection questions) {
    this.reader = reader;
    this.ids = ids;
    this.texts = texts;
    this.questions = questions;
  }

  /** The polls of the event, or null after reporting their problems. */
  List<Poll> polls(Fields event, String context) {
    Node node =
        reader.required(event, "polls", "polls: with a list of polls, each starting \"- id:\"");
    List<Node> items =
        reader.list(node, context, "polls must be a list, each poll starting with \"- id: ...\"");
    if (items == null) {
      return null;
    }
    if (items.isEmpty()) {
      reader.report(node, context, "polls is empty; add at least one poll");
      return null;
    }
    Map<String, Node> seen = new HashMap<>();
    List<Poll> polls = new ArrayList<>();
    boolean complete = true;
    for (int i = 0; i < items.size(); i++) {
      Poll poll = poll(items.get(i), i + 1, context, seen);
      complete &= poll != null;
      polls.add(poll);
    }
    return complete ? polls : null;
  }

  private Poll poll(Node node, int number, String eventContext, Map<String, Node> seen) {
    String context = IdReader.label("poll", node, number);
    Fields f =
        reader.map(
            node, context, "each poll must be a map with id, title and questions", POLL_KEYS);
    if (f == null) {
      return null;
    }
    String id = ids.unique(f, ids.id(f, "id: marche"), seen, eventContext, "poll");
    LocalizedText title =
        texts.text(
            reader.required(f, "title", "title: " + LocalizedReader.EXAMPLE), context, "title");
    List<Question> list = questions(f, context);
    if (id == null || title == null || list == null) {
      return null;
    }
    return reader.build(node, context, () -> new Poll(id, title, list));
  }

  private List<Question> questions(Fields poll, String context) {
    Node node =
        reader.required(
            poll, "questions", "questions: with a list of questions, each starting \"- id:\"");
    List<Node> items =
        reader.list(
            node, context, "questions must be a list, each question starting with \"- id: ...\"");
    if (items == null) {
      return null;
    }
    if (items.isEmpty()) {
      reader.report(node, context, "questions is empty; add at least one question");
      return null;
    }
    Map<String, Node> seen = new HashMap<>();
    List<Question> list = new ArrayList<>();
    boolean complete = true;
    for (int i = 0; i < items.size(); i++) {
      Question question = questions.question(items.get(i), i + 1, context, seen);
      complete &= question != null;
      list.add(question);
    }
    return complete ? list : null;
  }
}
