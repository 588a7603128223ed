package org.onosbfd.impl.runtime;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a type that runs on its callers' threads and never on the {@link EventLoop}: it may
 * block (files, locks) and reaches loop state only through {@link EventLoop#call} and
 * {@link EventLoop#run}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface OffLoop {
}
