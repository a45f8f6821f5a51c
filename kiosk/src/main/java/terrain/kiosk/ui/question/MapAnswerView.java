// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.question;

import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.geometry.NodeOrientation;
import javafx.scene.Group;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;
import javafx.scene.shape.SVGPath;
import terrain.core.record.ResponseBody;
import terrain.kiosk.ui.Messages;

/**
 * The answer area of a map question: the map, where a tap puts the pin (a marker shape, its tip on
 * the spot), and beside it the zones as large buttons, for residents who prefer to pick a place by
 * name. The map takes the focus too, and the arrow keys move the pin. The map is never mirrored,
 * even in a right-to-left language: north stays up and the river on its side.
 */
final class MapAnswerView extends HBox {
  /** The share of the width the map takes, the zone list the rest. */
  private static final double MAP_SHARE = 0.48;

  MapAnswerView(QuestionModel model, Messages texts, List<Button> zoneButtons) {
    getStyleClass().add("map-answer");
    setMinWidth(0);
    ImageView image = new ImageView(model.mapPicture());
    image.setId("map-image");
    image.setPreserveRatio(true);
    image.setSmooth(true);
    image.fitWidthProperty().bind(widthProperty().multiply(MAP_SHARE));

    SVGPath marker = new SVGPath();
    marker.setContent("M0,0 C-10,-16 -16,-24 -16,-32 A16,16 0 1 1 16,-32 C16,-24 10,-16 0,0 Z");
    marker.getStyleClass().add("map-pin");
    Circle hole = new Circle(0, -32, 6);
    hole.getStyleClass().add("map-pin-hole");
    Group pin = new Group(marker, hole);
    pin.setId("map-pin");
    pin.setMouseTransparent(true);
    pin.visibleProperty().bind(model.pinProperty().isNotNull());

    Pane surface = new Pane(image, pin);
    surface.setId("map");
    surface.getStyleClass().add("map-surface");
    surface.setNodeOrientation(NodeOrientation.LEFT_TO_RIGHT);
    surface.setFocusTraversable(true);
    surface.setAccessibleText(texts.text("map.accessible"));
    surface.prefWidthProperty().bind(image.fitWidthProperty());
    surface.setMinWidth(Region.USE_PREF_SIZE);
    surface
        .prefHeightProperty()
        .bind(
            Bindings.createDoubleBinding(
                () -> image.getBoundsInLocal().getHeight(), image.boundsInLocalProperty()));
    surface.setMaxSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
    Runnable placePin =
        () -> {
          ResponseBody.Pin at = model.pin();
          if (at != null) {
            var bounds = image.getBoundsInParent();
            pin.setLayoutX(bounds.getMinX() + bounds.getWidth() * at.x() / ResponseBody.Pin.SCALE);
            pin.setLayoutY(bounds.getMinY() + bounds.getHeight() * at.y() / ResponseBody.Pin.SCALE);
          }
        };
    model.pinProperty().addListener((obs, was, now) -> placePin.run());
    image.boundsInParentProperty().addListener((obs, was, now) -> placePin.run());
    placePin.run();
    surface.setOnMouseClicked(
        e -> {
          if (e.getButton() != MouseButton.PRIMARY) {
            return;
          }
          var bounds = image.getBoundsInParent();
          if (bounds.getWidth() <= 0 || !bounds.contains(e.getX(), e.getY())) {
            return;
          }
          surface.requestFocus();
          model.tapMap(
              (int) Math.round((e.getX() - bounds.getMinX()) / bounds.getWidth() * 1000),
              (int) Math.round((e.getY() - bounds.getMinY()) / bounds.getHeight() * 1000));
        });
    surface.addEventHandler(
        KeyEvent.KEY_PRESSED,
        e -> {
          boolean moved =
              switch (e.getCode()) {
                case LEFT, KP_LEFT -> model.movePin(-1, 0);
                case RIGHT, KP_RIGHT -> model.movePin(1, 0);
                case UP, KP_UP -> model.movePin(0, -1);
                case DOWN, KP_DOWN -> model.movePin(0, 1);
                default -> false;
              };
          if (moved) {
            e.consume();
          }
        });

    Label place = new Label();
    place.setId("map-place");
    place.getStyleClass().add("map-place");
    place.setWrapText(true);
    place.setMinHeight(Region.USE_PREF_SIZE);
    place.textProperty().bind(model.pinPlaceProperty());
    // Beside the map, not under it: the height is what a 1280x800 screen lacks.
    VBox side = new VBox();
    side.getStyleClass().add("map-zones");
    if (!zoneButtons.isEmpty()) {
      Label or = new Label(texts.text("map.or"));
      or.getStyleClass().add("map-or");
      or.setWrapText(true);
      or.setMinHeight(Region.USE_PREF_SIZE);
      side.getChildren().add(or);
      if (zoneButtons.size() > 3) {
        // Many zones in two columns: the list stays as high as the map.
        GridPane grid = new GridPane();
        grid.getStyleClass().add("map-zone-grid");
        for (int c = 0; c < 2; c++) {
          ColumnConstraints column = new ColumnConstraints();
          column.setPercentWidth(50);
          grid.getColumnConstraints().add(column);
        }
        for (int i = 0; i < zoneButtons.size(); i++) {
          Button button = zoneButtons.get(i);
          button.setMaxHeight(Double.MAX_VALUE);
          grid.add(button, i % 2, i / 2);
        }
        side.getChildren().add(grid);
      } else {
        side.getChildren().addAll(zoneButtons);
      }
    }
    side.getChildren().add(place);
    HBox.setHgrow(side, Priority.ALWAYS);
    side.setMinWidth(0);
    getChildren().addAll(surface, side);
  }
}
