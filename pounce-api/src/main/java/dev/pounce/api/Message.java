package dev.pounce.api;

/** Every message an app receives or sends: one sealed family per scope kind. */
public sealed interface Message permits HttpMessage, WebSocketMessage, LifespanMessage {
}
