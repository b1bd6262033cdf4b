-- Orders never have a negative amount.
select order_id, amount
from "main_marts"."fct_orders"
where amount < 0
