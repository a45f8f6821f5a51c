// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.workshop;

import static terrain.core.text.Html.escape;

import terrain.core.text.PageLanguage;

/**
 * The projector view at {@code /workshop}: a dark full-screen page in large type, readable from 8
 * m, that asks {@code /api/workshop} for the room every {@value #POLL_SECONDS} s and counts the
 * timer down between answers. What it shows follows the phase: the head count at the welcome, the
 * question and the ideas by table during ideas, the groups while grouping, the number of voters
 * during the vote (the ranking once revealed), the ranking at the results. Nothing is loaded from
 * elsewhere: the hub is offline. Without JavaScript it says where the JSON is.
 */
final class WorkshopPage {
  static final int POLL_SECONDS = 2;

  private static final String STYLE =
      """
      html,body{margin:0;height:100%}
      body{font-family:system-ui,sans-serif;background:#111;color:#f4f4f4;font-size:3.4vh}
      header{display:flex;justify-content:space-between;align-items:baseline;padding:2vh 3vw 0}
      h1{font-size:1.5em;margin:0}
      .step{color:#aaa;font-size:.8em}
      .timer{font-size:3.2em;font-weight:bold;font-variant-numeric:tabular-nums;color:#ffd166}
      .timer.over{color:#ff6b6b}
      .status{color:#aaa;font-size:.8em;min-height:1.2em}
      .prompt{font-size:1.6em;margin:1vh 3vw;color:#fff}
      main{padding:1vh 3vw}
      .cols{display:flex;flex-wrap:wrap;gap:2vw}
      .col{flex:1 1 22vw;background:#1e1e1e;border-radius:.4em;padding:.6em}
      .col h2{font-size:1em;margin:0 0 .4em;color:#4ea1ff}
      .idea{background:#fff3b0;color:#222;border-radius:.2em;padding:.25em .4em;margin:.3em 0;
        font-size:.8em}
      .rank{display:flex;gap:.6em;align-items:center;margin:.4em 0}
      .rank .n{min-width:5em;text-align:end;color:#ffd166;font-variant-numeric:tabular-nums}
      .big{font-size:2em;margin:2vh 0}
      .muted{color:#aaa}
      noscript{display:block;padding:2em}
      """;

  private static final String SCRIPT =
      """
      (function(){
        var root=document.getElementById('room');if(!root||!window.fetch)return;
        var api=root.getAttribute('data-api'),left=null,shown=null;
        function el(tag,cls,text){var e=document.createElement(tag);if(cls)e.className=cls;
          if(text!==undefined)e.textContent=text;return e;}
        function idea(i){var d=el('div','idea',i.text);d.lang=i.lang;return d;}
        function clock(){var t=document.getElementById('timer');if(left===null){t.textContent='';return;}
          var s=Math.abs(left),m=Math.floor(s/60),r=s%60;
          t.textContent=(left<0?'+':'')+m+':'+(r<10?'0':'')+r;t.className='timer'+(left<0?' over':'');}
        function draw(v){
          document.getElementById('title').textContent=v.title;
          document.getElementById('status').textContent=v.status;
          var p=v.phase;document.getElementById('step').textContent=p?p.label+' · '+p.step:'';
          document.getElementById('prompt').textContent=p?p.prompt:'';
          left=p&&!p.finished?p.remainingSeconds:null;shown=p&&p.running;clock();
          var main=document.getElementById('main');main.textContent='';
          var kind=p?p.kind:'welcome';
          if(kind==='welcome'){main.appendChild(el('p','big',v.attendance.text));return;}
          if(kind==='ideas'){main.appendChild(el('p','big',v.ideasText));
            var cols=el('div','cols');v.tables.forEach(function(t){var c=el('div','col');
              c.appendChild(el('h2','',t.label+' · '+t.text));cols.appendChild(c);});
            main.appendChild(cols);return;}
          if(kind==='grouping'||(kind==='vote'&&!v.vote.revealed)){
            if(kind==='vote')main.appendChild(el('p','big',v.vote.votersText+' — '+v.vote.hiddenText));
            var g=el('div','cols');v.groups.forEach(function(x){var c=el('div','col');
              c.appendChild(el('h2','',x.title));x.ideas.forEach(function(i){c.appendChild(idea(i));});
              g.appendChild(c);});
            if(v.ungrouped.length){var u=el('div','col');u.appendChild(el('h2','',v.ungroupedText));
              v.ungrouped.forEach(function(i){u.appendChild(idea(i));});g.appendChild(u);}
            main.appendChild(g);return;}
          if(v.vote&&v.vote.revealed){main.appendChild(el('p','',v.vote.votersText+' · '+v.vote.votesText));
            v.vote.ranking.forEach(function(r){var d=el('div','rank');d.appendChild(el('span','n',r.text));
              d.appendChild(el('span','',r.label));main.appendChild(d);});}
        }
        function poll(){fetch(api,{cache:'no-store'}).then(function(r){return r.json();})
          .then(draw).catch(function(){});}
        poll();setInterval(poll,POLL_MS);
        setInterval(function(){if(shown&&left!==null){left--;clock();}},1000);
      })();
      """
          .replace("POLL_MS", Integer.toString(POLL_SECONDS * 1000));

  /** What the page may run: its own script, and fetch {@code /api/workshop}. */
  static final String POLICY = terrain.http.Responses.scriptPolicy(SCRIPT);

  /** The page of {@code eventId} (null: the hub's workshop), polling {@code api}. */
  String render(String api, String heading, PageLanguage language) {
    return "<!DOCTYPE html>\n<html lang=\""
        + language.tag()
        + "\" dir=\""
        + (language.rightToLeft() ? "rtl" : "ltr")
        + "\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>"
        + escape(heading)
        + "</title><style>"
        + STYLE
        + "</style></head><body>\n<div id=\"room\" data-api=\""
        + escape(api)
        + "\"><header><div><h1 id=\"title\">"
        + escape(heading)
        + "</h1><div class=\"step\" id=\"step\"></div></div><div><div class=\"timer\""
        + " id=\"timer\" role=\"timer\"></div><div class=\"status\" id=\"status\"></div></div>"
        + "</header>\n<p class=\"prompt\" id=\"prompt\"></p><main id=\"main\"></main></div>\n"
        + "<noscript>"
        + escape(api)
        + "</noscript>\n<script>"
        + SCRIPT
        + "</script>\n</body></html>\n";
  }
}
