package org.onosbfd.impl.runtime;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a type whose state belongs to the {@link EventLoop}'s thread: every method runs there
 * and nothing in it is synchronised. Other threads reach it only through
 * {@link EventLoop#call} and {@link EventLoop#run}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface OnLoop {
}
