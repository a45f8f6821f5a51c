// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.results;

import static terrain.core.text.Html.escape;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import terrain.core.text.PageLanguage;

/**
 * The live results page at {@code /results}: plain HTML with the figures of the moment, so that it
 * works without JavaScript, and a small script that polls {@code /api/results} every few seconds
 * and updates the bars in place, reordering a ranking's rows as the points move (the page reloads
 * itself only when a question or an option appears). {@code ?fullscreen=1} is the projector or TV
 * mode: dark background, large type readable from 8 m, two columns, turning to the next screenful
 * every {@value #PAGE_SECONDS} s when the results are taller than the screen. Nothing is loaded
 * from elsewhere: the hub is offline.
 */
public final class ResultsPage {
  /** How often the script asks for new figures. */
  static final int POLL_SECONDS = 4;

  /** How long a TV shows one screenful before it turns to the next (full screen mode). */
  static final int PAGE_SECONDS = 12;

  private static final String STYLE =
      """
      body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
      main{max-width:46em;margin:0 auto;padding:1em}
      .lang{text-align:right;font-size:.85em;padding:.5em 1em 0}
      h1{font-size:1.5em;margin:.4em 0}
      h2{font-size:1.1em;margin:1.2em 0 .4em}
      .total{font-size:1.3em;font-weight:bold;margin:.2em 0}
      ul{list-style:none;padding:0;margin:0}
      li{margin:.35em 0}
      .label{display:block}
      .row{display:flex;align-items:center;gap:.5em}
      .bar{flex:1;background:#e4e4e4;height:1.1em;border-radius:.2em;overflow:hidden}
      .fill{display:block;height:100%;background:#2f6fb0;transition:width .8s}
      .n{min-width:7em;text-align:right;font-variant-numeric:tabular-nums}
      .muted{color:#666;font-size:.9em}
      .tools a{margin-right:1em}
      #missing ul li{background:#fff3e0;border-left:.3em solid #e07b00;padding:.3em .6em}
      body.tv #missing{column-span:all}
      body.tv #missing ul li{background:#3a2a10;color:#ffd9a0}
      section{break-inside:avoid}
      body.tv{background:#111;color:#f4f4f4;font-size:3.6vh}
      body.tv main{max-width:none;padding:1vh 3vw;columns:2;column-gap:4vw}
      body.tv h1{font-size:1.6em;column-span:all;margin:0}
      body.tv .total{column-span:all;font-size:1.4em;color:#ffd166}
      body.tv h2{font-size:1.05em;margin:.8em 0 .2em}
      body.tv .bar{background:#333;height:.9em}
      body.tv .fill{background:#4ea1ff}
      body.tv .muted{color:#aaa;font-size:.6em}
      body.tv .lang,body.tv .tools,body.tv .why{display:none}
      """;

  private static final String SCRIPT =
      """
      (function(){
        var root=document.getElementById('live');if(!root||!window.fetch)return;
        var url=root.getAttribute('data-api'),version=root.getAttribute('data-version');
        function rows(v){var out=[];v.questions.concat(v.participants).forEach(function(b){
          b.rows.forEach(function(r){out.push(r);});});return out;}
        function poll(){fetch(url,{cache:'no-store'}).then(function(r){return r.json();})
          .then(function(v){
            if(String(v.version)===version)return;
            var list=rows(v),shown=root.querySelectorAll('li[data-k]'),byKey={},moved=false;
            Array.prototype.forEach.call(shown,function(li){byKey[li.getAttribute('data-k')]=li;});
            var same=list.length===shown.length&&list.every(function(r){return byKey[r.key];});
            if(!same){location.reload();return;}
            version=String(v.version);
            document.getElementById('total').textContent=v.responsesText;
            list.forEach(function(r,i){var li=byKey[r.key];if(shown[i]!==li)moved=true;
              li.querySelector('.n').textContent=r.text;
              li.querySelector('.label').textContent=r.label;
              li.querySelector('.fill').style.width=r.width+'%';});
            // A ranking's rows follow the points: put them in the new order, without a reload.
            if(moved)list.forEach(function(r){var li=byKey[r.key];li.parentNode.appendChild(li);});
            v.questions.forEach(function(b){var n=root.querySelector('[data-note="'+b.id+'"]');
              if(n)n.textContent=b.note;});
            var ms=document.getElementById('missing');
            if(ms){var ul=ms.querySelector('ul');ul.textContent='';
              v.missing.forEach(function(t){var li=document.createElement('li');
                li.textContent=t;ul.appendChild(li);});
              ms.hidden=v.missing.length===0;}
          }).catch(function(){});}
        setInterval(poll,POLL_MS);
        // On a TV nobody scrolls: when the results are taller than the screen, turn the page.
        if(document.body.className==='tv')setInterval(function(){
          var max=document.documentElement.scrollHeight-window.innerHeight;if(max<=0)return;
          var y=window.scrollY+window.innerHeight*0.8;
          window.scrollTo({top:window.scrollY>=max-1?0:Math.min(y,max),behavior:'smooth'});
        },PAGE_MS);
      })();
      """
          .replace("POLL_MS", Integer.toString(POLL_SECONDS * 1000))
          .replace("PAGE_MS", Integer.toString(PAGE_SECONDS * 1000));

  /** What the page may run: its own script, and fetch {@code /api/results}. */
  static final String POLICY = terrain.http.Responses.scriptPolicy(SCRIPT);

  /** The page; {@code view} null when the hub holds no response and knows no event. */
  public String render(LiveView view, PageLanguage language, boolean fullscreen) {
    LiveView.Words w = new LiveView.Words(language);
    String title = view == null ? w.text("heading") : w.text("title", view.title());
    StringBuilder html = new StringBuilder(8192);
    html.append("<!DOCTYPE html>\n<html lang=\"")
        .append(language.tag())
        .append("\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    if (view == null) {
      // Nothing to poll for yet: the page looks again now and then.
      html.append("<meta http-equiv=\"refresh\" content=\"10\">");
    }
    html.append("<title>")
        .append(escape(title))
        .append("</title><style>")
        .append(STYLE)
        .append("</style></head><body")
        .append(fullscreen ? " class=\"tv\"" : "")
        .append(">\n");
    html.append(languageSwitch(view, language, fullscreen, w));
    if (view == null) {
      html.append("<main><h1>")
          .append(escape(w.text("heading")))
          .append("</h1>\n<p>")
          .append(escape(w.text("none")))
          .append("</p>\n<p class=\"tools\"><a href=\"/\">")
          .append(escape(w.text("status")))
          .append("</a></p></main></body></html>\n");
      return html.toString();
    }
    String query = query(view.eventId(), language, false);
    html.append("<main id=\"live\" data-api=\"")
        .append(escape("/api/results" + query))
        .append("\" data-version=\"")
        .append(view.version())
        .append("\">\n<h1>")
        .append(escape(view.title()))
        .append("</h1>\n<p class=\"total\" id=\"total\">")
        .append(escape(view.responsesText()))
        .append("</p>\n<p class=\"tools muted\">")
        .append(escape(w.text("live")))
        .append(" <a href=\"")
        .append(escape("/results" + query(view.eventId(), language, !fullscreen)))
        .append("\">")
        .append(escape(w.text(fullscreen ? "fullscreen.leave" : "fullscreen")))
        .append("</a><a href=\"/\">")
        .append(escape(w.text("status")))
        .append("</a></p>\n");
    if (!view.population().isEmpty()) {
      // Who is missing, at the top: facilitators go toward these groups while the event runs.
      html.append("<section id=\"missing\"")
          .append(view.missing().isEmpty() ? " hidden" : "")
          .append("><h2>")
          .append(escape(w.text("missing.heading")))
          .append("</h2>\n<ul class=\"missing\">");
      for (String line : view.missing()) {
        html.append("<li>").append(escape(line)).append("</li>");
      }
      html.append("</ul>\n<p class=\"muted why\">")
          .append(escape(w.text("missing.why", view.population())))
          .append("</p></section>\n");
    }
    if (view.events().size() > 1) {
      html.append("<p class=\"tools muted\">").append(escape(w.text("events")));
      for (LiveView.Choice event : view.events()) {
        if (!event.id().equals(view.eventId())) {
          html.append(" <a href=\"")
              .append(escape("/results" + query(event.id(), language, fullscreen)))
              .append("\">")
              .append(escape(event.title()))
              .append("</a>");
        }
      }
      html.append("</p>\n");
    }
    for (LiveView.Block question : view.questions()) {
      block(html, question, "h2");
    }
    if (!view.participants().isEmpty()) {
      html.append("<section id=\"participants\"><h2>")
          .append(escape(w.text("participants.heading")))
          .append("</h2>\n<p class=\"muted why\">")
          .append(escape(w.text("participants.why")))
          .append("</p>\n");
      for (LiveView.Block group : view.participants()) {
        block(html, group, "h3");
      }
      html.append("</section>\n");
    }
    html.append("<p class=\"muted\">").append(escape(w.text("note"))).append("</p>\n");
    html.append("</main>\n<script>").append(SCRIPT).append("</script>\n</body></html>\n");
    return html.toString();
  }

  private static void block(StringBuilder html, LiveView.Block block, String heading) {
    html.append("<section data-kind=\"")
        .append(escape(block.kind()))
        .append("\"><")
        .append(heading)
        .append('>')
        .append(escape(block.title()))
        .append("</")
        .append(heading)
        .append(">\n<ul>\n");
    for (LiveView.Row row : block.rows()) {
      html.append("<li data-k=\"")
          .append(escape(row.key()))
          .append("\"><span class=\"label\">")
          .append(escape(row.label()))
          .append("</span><span class=\"row\"><span class=\"bar\"><span class=\"fill\"")
          .append(" style=\"width:")
          .append(row.width())
          .append("%\"></span></span><span class=\"n\">")
          .append(escape(row.text()))
          .append("</span></span></li>\n");
    }
    html.append("</ul>\n");
    if (!block.kind().equals("profile")) {
      html.append("<p class=\"muted\" data-note=\"")
          .append(escape(block.id()))
          .append("\">")
          .append(escape(block.note()))
          .append("</p>\n");
    }
    html.append("</section>\n");
  }

  private static String query(String eventId, PageLanguage language, boolean fullscreen) {
    StringBuilder q =
        new StringBuilder("?event=").append(URLEncoder.encode(eventId, StandardCharsets.UTF_8));
    if (language.explicit()) {
      q.append("&lang=").append(language.tag());
    }
    if (fullscreen) {
      q.append("&fullscreen=1");
    }
    return q.toString();
  }

  /** "English / Français": the language shown is bold, the other a link to this page in it. */
  private static String languageSwitch(
      LiveView view, PageLanguage language, boolean fullscreen, LiveView.Words w) {
    StringBuilder nav =
        new StringBuilder("<nav class=\"lang\" aria-label=\"")
            .append(escape(w.text("language")))
            .append("\">");
    String[] tags = {"en", "fr"};
    for (int i = 0; i < tags.length; i++) {
      String tag = tags[i];
      if (i > 0) {
        nav.append(" / ");
      }
      String name = escape(w.text("language." + tag));
      if (tag.equals(language.tag())) {
        nav.append("<strong lang=\"").append(tag).append("\">").append(name).append("</strong>");
      } else {
        PageLanguage other = new PageLanguage(java.util.Locale.forLanguageTag(tag), true);
        String href =
            view == null ? "?lang=" + tag : "/results" + query(view.eventId(), other, fullscreen);
        nav.append("<a href=\"")
            .append(escape(href))
            .append("\" hreflang=\"")
            .append(tag)
            .append("\" lang=\"")
            .append(tag)
            .append("\">")
            .append(name)
            .append("</a>");
      }
    }
    return nav.append("</nav>\n").toString();
  }
}
