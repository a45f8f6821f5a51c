// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.workshop;

import static terrain.core.text.Html.escape;

import java.util.List;
import java.util.Map;
import terrain.core.text.PageLanguage;
import terrain.core.workshop.ItemRef;
import terrain.core.workshop.WorkshopState;

/**
 * The phone vote page at {@code /workshop/vote}: large buttons 0 to the cap per item, a form that
 * works without JavaScript (the hub checks the dots); with the page's own script (allowed by its
 * hash) the dots left are counted as the participant taps, and choices past them are greyed.
 */
final class VotePage {
  private static final String STYLE =
      """
      *{box-sizing:border-box}
      body{margin:0;font-family:system-ui,sans-serif;font-size:20px;line-height:1.35;
        background:#fafafa;color:#1a1a1a}
      header,main{max-width:34em;margin:0 auto;padding:.6em 1em}
      header{background:#1f3a5f;color:#fff;max-width:none}
      header h1{font-size:1.3em;margin:.2em 0}
      nav a{color:#fff;margin-inline-end:1em;font-size:.9em}
      .rules{font-size:1.1em;font-weight:bold}
      .left{font-size:1.1em;color:#1f3a5f;min-height:1.4em}
      .note{padding:.7em;border-radius:.4em;margin:.8em 0}
      .ok{background:#e3f4e1;border:2px solid #2e7d32}
      .bad{background:#fdecea;border:2px solid #c62828}
      fieldset{border:0;border-top:1px solid #ccc;margin:0;padding:.7em 0}
      legend{font-size:1.1em;font-weight:bold;padding:0;margin-bottom:.4em}
      .choices{display:flex;gap:.5em;flex-wrap:wrap}
      .choices label{position:relative}
      .choices input{position:absolute;opacity:0;width:1px;height:1px}
      .choices span{display:inline-block;min-width:3.2em;min-height:3.2em;line-height:3.2em;
        text-align:center;border:3px solid #1f3a5f;border-radius:.5em;font-size:1.1em;
        font-weight:bold;background:#fff}
      .choices input:checked+span{background:#1f3a5f;color:#fff}
      .choices input:focus-visible+span{outline:4px solid #f9a825}
      .choices input:disabled+span{opacity:.3}
      .inside{margin:.5em 0 0;padding-inline-start:1.2em;font-size:.85em;color:#444}
      button{width:100%;min-height:3.2em;font-size:1.2em;font-weight:bold;border:0;
        border-radius:.5em;background:#2e7d32;color:#fff;margin:1em 0}
      """;

  private static final String SCRIPT =
      """
      (function(){
        var form=document.getElementById('ballot');if(!form)return;
        var dots=+form.getAttribute('data-dots'),left=document.getElementById('left');
        var text=left.getAttribute('data-text');
        function update(){
          var used=0,boxes=form.querySelectorAll('input[type=radio]');
          boxes.forEach(function(b){if(b.checked)used+=+b.value;});
          var digits=left.getAttribute('data-digits');
          left.textContent=text.replace('#',String(dots-used).replace(/[0-9]/g,function(d){
            return digits.charAt(+d);}));
          boxes.forEach(function(b){
            var mine=0;form.querySelectorAll('input[name="'+b.name+'"]').forEach(function(o){
              if(o.checked)mine=+o.value;});
            b.disabled=!b.checked&&(+b.value-mine)>dots-used;});
        }
        form.addEventListener('change',update);update();
      })();
      """;

  /** What the page may run: its own script; forms post to the hub only. */
  static final String POLICY = terrain.http.Responses.scriptPolicy(SCRIPT) + "; form-action 'self'";

  /** A page that only says something (the vote is closed, an error). */
  String message(WorkshopView words, PageLanguage language, String title, String text, String cls) {
    StringBuilder html = start(words, language, title, "");
    html.append("<main><p class=\"note ")
        .append(cls)
        .append("\">")
        .append(escape(text))
        .append("</p><p><a href=\"")
        .append(escape(self(language, "")))
        .append("\">")
        .append(escape(words.text("vote.reload")))
        .append("</a></p></main>");
    return end(html, false);
  }

  /**
   * The ballot form.
   *
   * @param chosen the dots to show checked (the voter's, or what they just sent)
   * @param note a message above the form (thanks, or what to change), or null
   */
  String ballot(
      WorkshopView words,
      PageLanguage language,
      String eventQuery,
      PhoneVote.Ballot ballot,
      Map<ItemRef, Integer> chosen,
      String csrf,
      String note,
      boolean noteIsError) {
    String title = ballot.room().script().title().in(language.tag());
    StringBuilder html = start(words, language, title, eventQuery);
    int dots = ballot.rules().dots();
    int cap = ballot.rules().capPerItem();
    int used = chosen.values().stream().mapToInt(Integer::intValue).sum();
    html.append("<main>");
    if (note != null) {
      html.append("<p class=\"note ")
          .append(noteIsError ? "bad" : "ok")
          .append("\" role=\"status\">")
          .append(escape(note))
          .append("</p>");
    }
    html.append("<p class=\"rules\">")
        .append(escape(words.text("vote.rules", dots, cap)))
        .append("</p><p class=\"left\" id=\"left\" aria-live=\"polite\" data-text=\"")
        .append(escape(words.text("vote.left", "#")))
        .append("\" data-digits=\"")
        .append(escape(digits(words)))
        .append("\">")
        .append(escape(words.text("vote.left", Math.max(0, dots - used))))
        .append("</p>");
    if (ballot.items().isEmpty()) {
      html.append("<p>").append(escape(words.text("vote.empty"))).append("</p>");
    }
    html.append("<form id=\"ballot\" method=\"post\" action=\"")
        .append(escape(self(language, eventQuery)))
        .append("\" data-dots=\"")
        .append(dots)
        .append("\"><input type=\"hidden\" name=\"csrf\" value=\"")
        .append(escape(csrf))
        .append("\"><input type=\"hidden\" name=\"phase\" value=\"")
        .append(escape(ballot.phase().id()))
        .append("\">");
    for (WorkshopState.Ranked item : ballot.items()) {
      String name = "d." + item.id();
      int mine = chosen.getOrDefault(item.id(), 0);
      html.append("<fieldset><legend dir=\"auto\">")
          .append(escape(item.label()))
          .append("</legend><div class=\"choices\">");
      for (int n = 0; n <= cap; n++) {
        html.append("<label><input type=\"radio\" name=\"")
            .append(escape(name))
            .append("\" value=\"")
            .append(n)
            .append('"')
            .append(n == mine ? " checked" : "")
            .append("><span aria-label=\"")
            .append(escape(words.text("vote.dots", n)))
            .append("\">")
            .append(escape(words.text("vote.n", n)))
            .append("</span></label>");
      }
      html.append("</div>");
      List<String> inside = ballot.contents().getOrDefault(item.id(), List.of());
      if (!inside.isEmpty()) {
        html.append("<ul class=\"inside\">");
        for (String idea : inside) {
          html.append("<li dir=\"auto\">").append(escape(idea)).append("</li>");
        }
        html.append("</ul>");
      }
      html.append("</fieldset>");
    }
    html.append("<button type=\"submit\">")
        .append(escape(words.text("vote.submit")))
        .append("</button></form><p>")
        .append(escape(words.text("vote.anonymous")))
        .append("</p></main>");
    return end(html, true);
  }

  /** The digits 0 to 9 as the page's language writes them, for the script's count. */
  private static String digits(WorkshopView words) {
    StringBuilder digits = new StringBuilder(10);
    for (int d = 0; d <= 9; d++) {
      digits.append(words.text("vote.n", d));
    }
    return digits.toString();
  }

  private StringBuilder start(
      WorkshopView words, PageLanguage language, String title, String eventQuery) {
    StringBuilder html =
        new StringBuilder(4096)
            .append("<!DOCTYPE html>\n<html lang=\"")
            .append(language.tag())
            .append("\" dir=\"")
            .append(language.rightToLeft() ? "rtl" : "ltr")
            .append("\"><head><meta charset=\"utf-8\"><meta name=\"viewport\"")
            .append(" content=\"width=device-width, initial-scale=1\"><title>")
            .append(escape(words.text("vote.heading")))
            .append("</title><style>")
            .append(STYLE)
            .append("</style></head><body>\n<header><h1>")
            .append(escape(title))
            .append("</h1><nav>");
    for (String tag : PageLanguage.WITH_ARABIC) {
      if (!tag.equals(language.tag())) {
        html.append("<a href=\"")
            .append(escape("/workshop/vote?lang=" + tag + eventQuery))
            .append("\" lang=\"")
            .append(tag)
            .append("\">")
            .append(escape(words.languageName(tag)))
            .append("</a>");
      }
    }
    return html.append("</nav></header>\n");
  }

  private static String end(StringBuilder html, boolean script) {
    if (script) {
      html.append("\n<script>").append(SCRIPT).append("</script>");
    }
    return html.append("\n</body></html>\n").toString();
  }

  private static String self(PageLanguage language, String eventQuery) {
    return "/workshop/vote?lang=" + language.tag() + eventQuery;
  }
}
