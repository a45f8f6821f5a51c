// SPDX-License-Identifier: AGPL-3.0-or-later
// Draws examples/events/quartier-saint-michel.png, the stylised neighbourhood plan of the
// market-day example. Run from the repository root:
//   java examples/events/map-source/DrawNeighbourhoodMap.java examples/events/quartier-saint-michel.png
// The zones of market-day.yaml (area: [left, top, right, bottom] in %) match the blocks below.

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.File;
import javax.imageio.ImageIO;

public class DrawNeighbourhoodMap {
  static final int W = 1200;
  static final int H = 800;

  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    // Streets are the background: light grey.
    g.setColor(new Color(0xdedbd2));
    g.fillRect(0, 0, W, H);
    // Ordinary blocks of houses.
    Color houses = new Color(0xf4e9d8);
    int[][] blocks = {
      {36, 4, 62, 30}, {4, 44, 32, 64}, {64, 34, 82, 64}, {64, 70, 82, 96}
    };
    for (int[] b : blocks) {
      block(g, b, houses, null);
    }
    // The river on the right, with its quays.
    g.setColor(new Color(0xcfd8c9));
    g.fillRect(pct(84, W), 0, W - pct(84, W), H);
    Path2D river = new Path2D.Double();
    river.moveTo(pct(92, W), 0);
    river.curveTo(pct(89, W), pct(30, H), pct(95, W), pct(60, H), pct(90, W), H);
    river.lineTo(W, H);
    river.lineTo(W, 0);
    river.closePath();
    g.setColor(new Color(0x8cbbe0));
    g.fill(river);
    // Zones.
    block(g, new int[] {4, 4, 32, 40}, new Color(0xa8d5a2), "Le parc");
    trees(g, 4, 4, 32, 40);
    block(g, new int[] {36, 34, 60, 60}, new Color(0xf6d79c), "Place du marché");
    stalls(g);
    block(g, new int[] {66, 6, 82, 30}, new Color(0xc9c3e6), "L'école");
    block(g, new int[] {4, 70, 32, 96}, new Color(0xd6d6d6), "La gare");
    block(g, new int[] {40, 70, 60, 96}, new Color(0xf0b8a8), "La mairie");
    label(g, "Les quais", pct(86, W), pct(50, H), -90);
    // The tram line, dashed, along the main street.
    g.setColor(new Color(0xc0392b));
    g.setStroke(
        new BasicStroke(6, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1, new float[] {18, 12}, 0));
    g.drawLine(0, pct(67, H), pct(84, W), pct(67, H));
    g.dispose();
    ImageIO.write(img, "png", new File(args.length > 0 ? args[0] : "quartier-saint-michel.png"));
  }

  static int pct(double p, int size) {
    return (int) Math.round(p * size / 100.0);
  }

  static void block(Graphics2D g, int[] b, Color fill, String name) {
    int x = pct(b[0], W), y = pct(b[1], H), w = pct(b[2], W) - x, h = pct(b[3], H) - y;
    RoundRectangle2D r = new RoundRectangle2D.Double(x, y, w, h, 18, 18);
    g.setColor(fill);
    g.fill(r);
    g.setColor(fill.darker());
    g.setStroke(new BasicStroke(3));
    g.draw(r);
    if (name != null) {
      label(g, name, x + w / 2, y + h / 2, 0);
    }
  }

  static void label(Graphics2D g, String text, int cx, int cy, int degrees) {
    Graphics2D t = (Graphics2D) g.create();
    t.translate(cx, cy);
    t.rotate(Math.toRadians(degrees));
    t.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 30));
    int width = t.getFontMetrics().stringWidth(text);
    int ascent = t.getFontMetrics().getAscent();
    t.setColor(new Color(255, 255, 255, 210));
    t.fillRoundRect(-width / 2 - 10, -ascent / 2 - 8, width + 20, ascent + 12, 14, 14);
    t.setColor(new Color(0x1b1b1b));
    t.drawString(text, -width / 2, ascent / 2 - 4);
    t.dispose();
  }

  static void trees(Graphics2D g, int l, int t, int r, int b) {
    g.setColor(new Color(0x5f9e57));
    for (int i = 0; i < 14; i++) {
      int x = pct(l + 2 + (i * 37 % (r - l - 4)), W);
      int y = pct(t + 3 + (i * 23 % (b - t - 6)), H);
      g.fillOval(x - 14, y - 14, 28, 28);
    }
  }

  static void stalls(Graphics2D g) {
    Color[] colors = {new Color(0xe74c3c), new Color(0x2e86c1), new Color(0x27ae60)};
    for (int i = 0; i < 6; i++) {
      int x = pct(38 + i * 3.6, W);
      g.setColor(colors[i % 3]);
      g.fillRect(x, pct(37, H), 30, 22);
      g.fillRect(x, pct(54, H), 30, 22);
    }
  }
}
