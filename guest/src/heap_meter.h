/* Counts the bytes mruby holds from malloc, so an invocation's usage can
 * report what the script allocated even when the image's free heap served
 * it without growing linear memory. */
#ifndef KOBAKO_HEAP_METER_H
#define KOBAKO_HEAP_METER_H

/* Starts an invocation's count: its peak is measured from here. */
void kobako_heap_meter_start(void);

#endif
