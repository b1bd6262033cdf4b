select * from {{ ref('a_model_that_was_removed') }}
